package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGTERM to the real binary: a request in the middle of arriving is
// answered in full, new connections are refused at once, and the process
// then exits 0. The request waits on "100 Continue", so the test knows the
// server is inside it before the signal, and on Pforte's own log line after.
func TestShutdownCompletesInFlightRequest(t *testing.T) {
	app := startBinary(t, buildPforte(t), nil)
	addr := strings.TrimPrefix(app.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "field=value-0123456789"
	fmt.Fprintf(conn, "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(body))
	r := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := r.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("the server did not start on the request: %q %v", line, err)
	}
	_, _ = r.ReadString('\n') // the blank line after 100 Continue

	app.Signal(t, syscall.SIGTERM)
	app.WaitLog(t, "shutting down: draining requests", 10*time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			var op *net.OpError
			if !errors.As(err, &op) || !strings.Contains(err.Error(), "refused") {
				t.Fatalf("new connection during shutdown: %v, want refused", err)
			}
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections are still accepted 5 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The grace period is 10 s: for a second the process must still be
	// waiting for the request (a shorter grace stops it here).
	if app.StopsWithin(time.Second) {
		t.Fatalf("pforte stopped with a request still in flight:\n%s", app.Logs())
	}
	fmt.Fprint(conn, body)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("in-flight request was cut off: %v\n%s", err, app.Logs())
	}
	res.Body.Close()
	if res.StatusCode >= 500 {
		t.Errorf("in-flight request got %d, want an answer from the app", res.StatusCode)
	}
	if code := app.Wait(t, 15*time.Second); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0:\n%s", code, app.Logs())
	}
	if !strings.Contains(app.Logs(), `"msg":"stopped"`) {
		t.Errorf("no 'stopped' log:\n%s", app.Logs())
	}
}
