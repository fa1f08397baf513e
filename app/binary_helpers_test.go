package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binaryApp is Pforte built and started as its own process, for what only
// the real binary shows: signals, exit codes, the process's TLS roots.
type binaryApp struct {
	URL  string
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs strings.Builder
	// lines receives every log message ("msg" of the JSON log line).
	lines chan string
	done  chan struct{}
}

// buildPforte builds ./app (the go build cache makes repeats cheap).
func buildPforte(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pforte")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary starts the built binary with env (added to this process's)
// and waits for its "listening" log line. The process is killed at cleanup
// if the test did not stop it.
func startBinary(t *testing.T, bin string, env map[string]string) *binaryApp {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT=0", "PFORTE_DEMO_DIR="+t.TempDir())
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &binaryApp{cmd: cmd, lines: make(chan string, 1024), done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(a.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			a.mu.Lock()
			a.logs.WriteString(sc.Text() + "\n")
			a.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			if rec.Msg == "listening" {
				addr <- rec.Addr
			}
			select {
			case a.lines <- rec.Msg:
			default:
			}
		}
		_ = cmd.Wait()
	}()
	t.Cleanup(func() {
		select {
		case <-a.done:
		default:
			_ = cmd.Process.Kill()
		}
		<-a.done
	})
	select {
	case got := <-addr:
		a.URL = "http://" + got
	case <-a.done:
		t.Fatalf("pforte exited before listening:\n%s", a.Logs())
	case <-time.After(30 * time.Second):
		t.Fatalf("no 'listening' log within 30s:\n%s", a.Logs())
	}
	return a
}

// Logs returns everything the process printed so far.
func (a *binaryApp) Logs() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logs.String()
}

// Signal sends sig to the process.
func (a *binaryApp) Signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := a.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// WaitLog waits for a log line with message msg.
func (a *binaryApp) WaitLog(t *testing.T, msg string, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case m := <-a.lines:
			if m == msg {
				return
			}
		case <-a.done:
			t.Fatalf("pforte exited without logging %q:\n%s", msg, a.Logs())
		case <-deadline:
			t.Fatalf("no %q log within %v:\n%s", msg, within, a.Logs())
		}
	}
}

// StopsWithin reports whether the process logs "stopped" or exits within d:
// a negative check (it should not) bounded by a deadline.
func (a *binaryApp) StopsWithin(d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case m := <-a.lines:
			if m == "stopped" {
				return true
			}
		case <-a.done:
			return true
		case <-deadline:
			return false
		}
	}
}

// Wait waits for the process to exit and returns its exit code.
func (a *binaryApp) Wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-a.done:
		return a.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("pforte did not exit within %v:\n%s", within, a.Logs())
		return -1
	}
}
