package sse

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serve accepts one connection on 127.0.0.1 and opens it as a stream of
// key on h; it returns the client's side and a channel closed by onClose.
func serve(t *testing.T, h *Hub, key string) (*http.Response, <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	closed := make(chan struct{})
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = bufio.NewReader(conn).ReadString('\n') // the request line is enough here
		head := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
		if err := h.Open(key, conn, head, key, func() { close(closed) }); err != nil {
			t.Error(err)
		}
	}()
	res, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res, closed
}

// readAll is the whole body, or the test fails when it does not end.
func readAll(t *testing.T, r io.Reader) (string, error) {
	t.Helper()
	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() { b, err := io.ReadAll(r); got <- result{string(b), err} }()
	select {
	case res := <-got:
		return res.body, res.err
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not end")
		return "", nil
	}
}

// A stream says hello with the retry delay, is pinged while idle, gets the
// broadcasts of its key only, and ends with a complete chunked body at
// its lifetime (so the browser reconnects as planned, not as after an
// error); then its onClose has run.
func TestStreamPingsBroadcastsAndEndsCleanly(t *testing.T) {
	h := NewHub(context.Background(), Options{Ping: 20 * time.Millisecond, Lifetime: 300 * time.Millisecond, Retry: 1500 * time.Millisecond})
	res, closed := serve(t, h, "a")
	other, _ := serve(t, h, "b")
	r := bufio.NewReader(res.Body)
	if line, _ := r.ReadString('\n'); line != "retry: 1500\n" {
		t.Fatalf("first line %q, want the retry delay", line)
	}
	for h.Len("a") != 1 || h.Len("b") != 1 {
		time.Sleep(time.Millisecond)
	}
	h.Broadcast("a", func(data any) []byte { return []byte("event: x\ndata: " + data.(string) + "\n\n") })
	body, err := readAll(t, r)
	if err != nil || !strings.Contains(body, ": ping\n\n") || !strings.Contains(body, "event: x\ndata: a\n\n") {
		t.Fatalf("stream a: %q, %v; want pings, its event and a clean end", body, err)
	}
	<-closed
	if body, err := readAll(t, other.Body); err != nil || strings.Contains(body, "event: x") {
		t.Fatalf("stream b: %q, %v; want no event of a", body, err)
	}
	if h.Len("a") != 0 {
		t.Fatalf("%d streams of a still held after their end", h.Len("a"))
	}
}
