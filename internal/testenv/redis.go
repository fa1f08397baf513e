package testenv

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Redis is a private redis-server a test can stop and restart, for fault
// tests that must not disturb the shared one.
type Redis struct {
	Port int
	URL  string
	dir  string
	bin  string
	cmd  *exec.Cmd
	t    testing.TB
	// Persist are the persistence arguments; default AOF on, no snapshots.
	Persist []string
}

// StartRedis starts a private redis-server on a free loopback port with
// append-only persistence in a temp dir; it is stopped when the test ends.
func StartRedis(t testing.TB) *Redis {
	t.Helper()
	return StartRedisWith(t, "--appendonly", "yes", "--save", "")
}

// StartRedisWith is StartRedis with other persistence arguments, e.g.
// "--appendonly", "no", "--save", "" for a Redis that keeps nothing.
func StartRedisWith(t testing.TB, persist ...string) *Redis {
	t.Helper()
	r := &Redis{t: t, bin: Binary(t, "redis-server"), dir: t.TempDir(), Port: FreePort(t), Persist: persist}
	r.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", r.Port)
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// Start (re)starts the server on the same port and data dir.
func (r *Redis) Start() {
	r.t.Helper()
	args := append([]string{"--bind", "127.0.0.1", "--port", fmt.Sprint(r.Port),
		"--dir", r.dir, "--logfile", filepath.Join(r.dir, "redis.log")}, r.Persist...)
	r.cmd = exec.Command(r.bin, args...) // #nosec G204 -- test helper: the redis-server binary with fixed arguments
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", r.Port)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatalf("redis-server on %s did not start", addr)
}

// Stop kills the server (like a crash or a node going away) and waits for it.
func (r *Redis) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}
