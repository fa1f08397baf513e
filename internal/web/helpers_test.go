package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gitlab.opencode.de/pforte/pforte"
	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/demo"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
	"gitlab.opencode.de/pforte/pforte/internal/navigation"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// Hosts of the two test tenants. Both are loopback, so cookies are the
// plain "pforte" (browsers drop Secure cookies over http).
const (
	hostA = "localhost" // tenant "demo": the demo tenant, with an API token
	hostB = "127.0.0.1" // tenant "other": a second city on the same instance
)

// API tokens of the two tenants (their SHA-256 is in the config).
const (
	tokenA = "token-of-tenant-demo"
	tokenB = "token-of-tenant-other"
)

// testServer is the real web layer on an embedded (bbolt) store in a temp
// dir: no external server, no browser. Sign-in is the demo sign-in, which
// goes through the same sessions, cookies and CSRF checks as OIDC.
type testServer struct {
	t   *testing.T
	srv *Server
	st  store.Store
	cfg *config.Config
	nav *testClock // the central navigation's clock
}

// testClock is a clock tests move (the central navigation's freshness).
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newTestServer builds the server; edit may change the config first.
func newTestServer(t *testing.T, edit ...func(*config.Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Demo(dir, func(string) string { return "" }, demo.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	a := &cfg.Tenants[0]
	a.Hosts = []string{hostA}
	a.APITokens = []config.APIToken{{Name: "monitoring", SHA256: sha(tokenA)}}
	b := *a
	b.ID, b.Name, b.ShortName, b.Hosts = "other", "Portal Andere Stadt", "Andere", []string{hostB}
	b.APITokens = []config.APIToken{{Name: "other-monitoring", SHA256: sha(tokenB)}}
	b.Apps = []config.App{{Name: "Intranet", URL: "https://intranet.andere.example/", Icon: "files"}}
	cfg.Tenants = append(cfg.Tenants, b)
	for _, f := range edit {
		f(cfg)
	}
	reg, err := tenant.NewRegistry(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	st, err := store.NewBolt(filepath.Join(dir, "pforte.db"), logger)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	sealer := mustSealer(t, cfg.SecretKey, "session v1")
	vapid := mustSealer(t, cfg.SecretKey, "vapid v1")
	keys := map[string]*push.VAPIDKeys{}
	for _, tn := range reg.All() {
		if keys[tn.ID], err = notify.Keys(context.Background(), store.ForTenant(st, tn.ID), tn.ID, tn.Push, vapid); err != nil {
			t.Fatal(err)
		}
	}
	sources := map[string]dashboard.Sources{}
	for _, tn := range reg.All() {
		if sources[tn.ID], err = dashboard.SourcesFor(tn.Tenant, &http.Client{Timeout: 5 * time.Second}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cache := dashboard.NewCache(ctx, time.Minute, time.Hour, 4, logger)
	menuClock := &testClock{}
	menus, err := navigation.NewMenus(cfg.Tenants, st, &http.Client{Timeout: 5 * time.Second}, 5*time.Second, menuClock.Now, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Deps{
		Config: cfg, Tenants: reg, Store: st, Catalog: catalog, Logger: logger,
		Metrics: prometheus.NewRegistry(), Files: pforte.Files,
		Auth: auth.NewProviders(&http.Client{Timeout: time.Second}, time.Now), Sealer: sealer,
		AccountSealer: mustSealer(t, cfg.SecretKey, "app passwords v1"), PushKeys: keys,
		Dashboard:  dashboard.NewSnapshots(cache, sources, 5*time.Second, st, mustSealer(t, cfg.SecretKey, "dashboard snapshot v1"), time.Now),
		Announce:   announce.NewService(st, logger, time.Now),
		Navigation: menus,
		Background: ctx,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Shutdown(context.Background())
		cancel()
		cache.Wait()
		_ = st.Close()
	})
	return &testServer{t: t, srv: srv, st: st, cfg: cfg, nav: menuClock}
}

func mustSealer(t *testing.T, secret, purpose string) *auth.Sealer {
	t.Helper()
	s, err := auth.NewSealer(secret, purpose)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// client is one browser: its host (tenant), cookies and CSRF token.
type client struct {
	ts      *testServer
	host    string
	cookies map[string]string
	csrf    string
}

func (ts *testServer) client(host string) *client {
	return &client{ts: ts, host: host, cookies: map[string]string{}}
}

// req is one request: header values and a body.
type req struct {
	method, path string
	body         string
	header       map[string]string
}

// do sends r through app.Test and keeps the cookies it sets.
func (c *client) do(r req) *http.Response {
	c.ts.t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, "http://"+c.host+r.path, body)
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	for k, v := range c.cookies {
		hr.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.ts.srv.app.Test(hr, -1)
	if err != nil {
		c.ts.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return res
}

func (c *client) get(path string) *http.Response { return c.do(req{path: path}) }

// form posts a form with this client's CSRF token (unless fields set _csrf).
func (c *client) form(path string, fields url.Values) *http.Response {
	if _, ok := fields["_csrf"]; !ok {
		fields.Set("_csrf", c.csrf)
	}
	return c.do(req{method: http.MethodPost, path: path, body: fields.Encode(),
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
}

// json sends a JSON body with the CSRF header, as the page's script does.
func (c *client) json(method, path, body string) *http.Response {
	return c.do(req{method: method, path: path, body: body,
		header: map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.csrf}})
}

var (
	csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	csrfMeta  = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)
)

// signIn signs in through the demo sign-in as "employee" or "admin" and
// keeps the user's CSRF token from the page.
func (c *client) signIn(who string) {
	t := c.ts.t
	t.Helper()
	res := c.get("/login")
	page := readBody(t, res)
	m := csrfField.FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /login: %d, CSRF field found: %v", res.StatusCode, m != nil)
	}
	c.csrf = m[1]
	res = c.form("/login/demo", url.Values{"user": {who}, "next": {"/settings"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo sign-in as %s: %d %s", who, res.StatusCode, readBody(t, res))
	}
	page = readBody(t, c.get("/settings"))
	if m = csrfMeta.FindStringSubmatch(page); m == nil {
		t.Fatalf("signed in as %s, but the page has no CSRF token", who)
	}
	c.csrf = m[1]
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	return string(b)
}

// decode reads a JSON body into v, failing on anything but JSON.
func decode(t *testing.T, res *http.Response, v any) {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON", ct)
	}
	body := readBody(t, res)
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

// wantError checks an API error: the status and a JSON body whose "error"
// contains reason, with a request id to quote.
func wantError(t *testing.T, res *http.Response, status int, reason string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d (%s)", res.StatusCode, status, readBody(t, res))
	}
	var e struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}
	decode(t, res, &e)
	if !strings.Contains(e.Error, reason) || e.RequestID == "" {
		t.Fatalf("error body %+v, want an error containing %q and a request id", e, reason)
	}
}

// actorForTest writes announcements directly through the service.
func actorForTest(tenantID string) announce.Actor {
	return announce.Actor{Name: "test", Tenant: tenantID, Via: announce.ViaAPI}
}
