package demo

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// After Close nothing of the demo is left: ports closed, goroutines gone,
// sample files removed. A connection still open at Close is cut off.
func TestCloseStopsEverything(t *testing.T) {
	before := runtime.NumGoroutine()
	now, loc := testNow(t)
	u, err := Start(t.Context(), now, loc, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	cred := upstream.Credential{Username: "erika", Password: u.Users["erika"]}
	mc, err := mail.New(mail.Options{Addr: u.IMAPAddr, TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mc.Fetch(t.Context(), cred); err != nil {
		t.Fatalf("mail: %v", err)
	}
	hc := httpClient(t)
	fc, err := files.New(files.Options{URL: u.WebDAVURL, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fc.Fetch(t.Context(), cred); err != nil {
		t.Fatalf("files: %v", err)
	}
	// An IMAP client that never logs out must not keep Close waiting.
	idle, err := net.Dial("tcp", u.IMAPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if _, err := idle.Read(make([]byte, 64)); err != nil {
		t.Fatalf("no IMAP greeting: %v", err)
	}
	davAddr := u.http.addr

	if err := u.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := u.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for name, addr := range map[string]string{"imap": u.IMAPAddr, "dav": davAddr} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections on %s", name, addr)
		}
	}
	// Reading the rest of the greeting ends at the closed connection; a
	// timeout means it is still open.
	_ = idle.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(idle); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Error("the open IMAP connection survived Close")
	}
	if _, err := os.Stat(u.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("sample files left in %s: %v", u.dir, err)
	}
	hc.CloseIdleConnections()
	// Goroutines that are ending may take a moment to be gone.
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
