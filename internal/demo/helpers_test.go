package demo

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is a Tuesday morning in ISO week 48, so the sample data has the
// same names and times in every run.
func testNow(t *testing.T) (time.Time, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation(berlin)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, 11, 24, 10, 7, 0, 0, loc), loc
}

// logBuffer collects the demo's log lines (at debug level) for the
// "no password in the log" checks.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startDemo starts the demo servers for one test and stops them after it.
func startDemo(t *testing.T) (*Upstreams, time.Time, *logBuffer) {
	t.Helper()
	now, loc := testNow(t)
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	u, err := Start(t.Context(), now, loc, logger)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := u.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		for login, password := range u.Users {
			if strings.Contains(logs.String(), password) {
				t.Errorf("the log contains the password of %s", login)
			}
		}
	})
	return u, now, logs
}

// userURL fills in {user}.
func userURL(template, login string) string {
	return strings.ReplaceAll(template, "{user}", login)
}

// httpClient is a client of the test's own whose idle connections are
// closed when the test ends.
func httpClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}
