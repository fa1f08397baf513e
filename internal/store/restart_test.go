package store_test

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// privateRedis is a redis-server of this test's own, so the test may stop it.
type privateRedis struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
}

func (p *privateRedis) start() {
	p.t.Helper()
	p.cmd = exec.Command(p.bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(p.port),
		"--dir", p.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--logfile", "redis.log")
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	cmd := p.cmd
	p.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port))
	for range 100 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("redis-server did not listen on %s", addr)
}

// stop shuts redis down the way an operator would (SIGTERM).
func (p *privateRedis) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	_ = p.cmd.Wait()
}

// TestRedisRestart: while Redis is down requests fail fast with
// ErrUnavailable; afterwards the same Store works again, the data is still
// there and a subscription receives again.
func TestRedisRestart(t *testing.T) {
	p := &privateRedis{t: t, bin: testenv.Binary(t, "redis-server"), dir: t.TempDir(), port: testenv.FreePort(t)}
	p.start()
	opts, err := store.ParseRedisURL("redis://127.0.0.1:" + strconv.Itoa(p.port) + "/0")
	if err != nil {
		t.Fatal(err)
	}
	s := store.NewRedis(opts, nil)
	defer s.Close()
	ctx := t.Context()

	must(t, s.Set(ctx, "session", []byte("alice"), 0))
	msgs, cancel, err := s.Subscribe(ctx, "news")
	must(t, err)
	defer cancel()
	must(t, s.Publish(ctx, "news", []byte("before")))
	if got := next(t, msgs, 5*time.Second); got != "before" {
		t.Fatalf("got %q before the restart", got)
	}

	p.stop()

	// The caller allows 3 s; the store must give up by itself before that
	// (an error caused by the caller's deadline is not ErrUnavailable).
	for i := range 3 {
		for name, call := range map[string]func(context.Context) error{
			"Ping": s.Ping,
			"Get":  func(ctx context.Context) error { _, err := s.Get(ctx, "session"); return err },
			"Set":  func(ctx context.Context) error { return s.Set(ctx, "x", []byte("y"), 0) },
		} {
			callCtx, stop := context.WithTimeout(ctx, 3*time.Second)
			began := time.Now()
			err := call(callCtx)
			stop()
			t.Logf("%s #%d while Redis is down: %v after %v", name, i+1, err, time.Since(began).Round(time.Millisecond))
			if !errors.Is(err, store.ErrUnavailable) {
				t.Fatalf("%s while Redis is down = %v, want store.ErrUnavailable", name, err)
			}
		}
	}
	if _, _, err := s.Subscribe(ctx, "other"); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Subscribe while Redis is down = %v, want store.ErrUnavailable", err)
	}

	p.start()

	// The client reconnects by itself.
	deadline := time.Now().Add(15 * time.Second)
	for s.Ping(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the store did not recover within 15 s after Redis came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	v, err := s.Get(ctx, "session")
	must(t, err)
	if string(v) != "alice" {
		t.Fatalf("after restart Get = %q, want alice", v)
	}

	// The old subscription resubscribes by itself; publish until it hears.
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not receive again within 15 s after Redis came back")
		}
		must(t, s.Publish(ctx, "news", []byte("after")))
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatal("the subscription was closed by the restart")
			}
			if string(m) != "after" {
				t.Fatalf("got %q after the restart", m)
			}
			t.Logf("subscription received again after %d publishes", i+1)
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func next(t *testing.T, ch <-chan []byte, within time.Duration) string {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed")
		}
		return string(m)
	case <-time.After(within):
		t.Fatalf("no message within %v", within)
	}
	return ""
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
