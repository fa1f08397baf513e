package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// testApp is Pforte started through run(), as main starts it.
type testApp struct {
	URL    string
	Tenant string // the tenant id, where a test made it unique
	cancel context.CancelFunc
	done   chan error
	mu     sync.Mutex
	logs   strings.Builder
}

// startApp runs the real program with env (nothing else from the machine)
// and waits until it listens. PORT=0 picks a free port.
func startApp(t *testing.T, env map[string]string, args ...string) *testApp {
	t.Helper()
	if _, ok := env["PORT"]; !ok {
		env["PORT"] = "0"
	}
	if _, ok := env["PFORTE_DEMO_DIR"]; !ok {
		env["PFORTE_DEMO_DIR"] = t.TempDir()
	}
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	a := &testApp{cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx, args, getenv, pw, pw)
		_ = pw.Close()
		a.done <- err
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			a.mu.Lock()
			a.logs.WriteString(line + "\n")
			a.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				addr <- rec.Addr
			}
		}
	}()
	select {
	case got := <-addr:
		a.URL = "http://" + got
	case err := <-a.done:
		t.Fatalf("run ended before listening: %v\nlogs:\n%s", err, a.Logs())
	case <-time.After(20 * time.Second):
		t.Fatalf("no 'listening' log within 20s\nlogs:\n%s", a.Logs())
	}
	t.Cleanup(func() { a.Stop(t) })
	return a
}

// Logs returns everything the app logged so far.
func (a *testApp) Logs() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logs.String()
}

// Stop is SIGTERM: it cancels run's context and returns run's result.
func (a *testApp) Stop(t *testing.T) error {
	t.Helper()
	a.cancel()
	select {
	case err, ok := <-a.done:
		if ok {
			close(a.done)
		}
		return err
	case <-time.After(15 * time.Second):
		t.Fatalf("run did not return within 15s of shutdown")
		return nil
	}
}

// get fetches path with an optional Host header and returns status, body and headers.
func get(t *testing.T, base, path, host string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := dir + "/" + name
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
