package web

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// streamServer serves the real stream handler on 127.0.0.1 for a user
// named in the X-Test-User header of the tenant in X-Test-Tenant (default
// "stadt"), standing in for the session and host lookups.
func streamServer(t *testing.T) (string, *announce.Service) {
	t.Helper()
	st, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ann := announce.NewService(st, slog.New(slog.DiscardHandler), time.Now)
	s := &Server{Deps: Deps{Store: st, Announce: ann, Now: time.Now}}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	keepStreams(app)
	app.Get("/api/announcements/stream", func(c *fiber.Ctx) error {
		id := c.Get("X-Test-Tenant", "stadt")
		c.Locals(localTenant, &tenant.Tenant{Tenant: &config.Tenant{ID: strings.Clone(id)}})
		c.Locals(localUser, &auth.User{Subject: c.Get("X-Test-User")})
		c.Locals(localLang, "de")
		return c.Next()
	}, s.handleAnnouncementStream)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	t.Cleanup(ann.Stop) // runs first: ends the open streams, so Shutdown need not wait for them
	return "http://" + ln.Addr().String() + "/api/announcements/stream", ann
}

// openStream opens one stream as user and returns the response once the
// server's hello arrived (or its refusal).
func openStream(t *testing.T, url, user string) *http.Response {
	t.Helper()
	return openTenantStream(t, url, "stadt", user)
}

func openTenantStream(t *testing.T, url, tenantID, user string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("X-Test-User", user)
	req.Header.Set("X-Test-Tenant", tenantID)
	res, err := (&http.Transport{}).RoundTrip(req) // a connection of its own, like a tab
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode == http.StatusOK {
		line, err := bufio.NewReader(res.Body).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "retry:") {
			t.Fatalf("stream began with %q, %v", line, err)
		}
	}
	return res
}

// One account may keep announce.MaxStreamsPerUser streams open; the next tab gets
// a 429 that says why and what to do, while other users still connect, and
// closing a tab frees its place.
func TestStreamsPerUserAreLimited(t *testing.T) {
	url, _ := streamServer(t)
	var open []*http.Response
	for i := 0; i < announce.MaxStreamsPerUser; i++ {
		res := openStream(t, url, "anna")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("stream %d: %d, want 200", i+1, res.StatusCode)
		}
		open = append(open, res)
	}
	refused := openStream(t, url, "anna")
	body, _ := io.ReadAll(refused.Body)
	refused.Body.Close()
	if refused.StatusCode != http.StatusTooManyRequests || refused.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), fmt.Sprintf("at most %d", announce.MaxStreamsPerUser)) ||
		!strings.Contains(string(body), "close other Pforte tabs") {
		t.Fatalf("stream %d: %d Retry-After=%q %q, want 429 naming the limit and the fix",
			announce.MaxStreamsPerUser+1, refused.StatusCode, refused.Header.Get("Retry-After"), body)
	}
	other := openStream(t, url, "bernd")
	if other.StatusCode != http.StatusOK {
		t.Fatalf("another user: %d, want 200", other.StatusCode)
	}
	other.Body.Close()

	// The server notices a closed tab at its next write (the ping), so the
	// place frees within announce.StreamPing.
	open[0].Body.Close()
	deadline := time.Now().Add(3 * announce.StreamPing)
	for {
		res := openStream(t, url, "anna")
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after closing a tab: still %d", res.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, r := range open[1:] {
		r.Body.Close()
	}
}
