// Package web is Pforte's HTTP surface: Fiber app, middleware, handlers and
// rendering. routes.go lists every route on one screen.
package web

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/template/html/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/assets"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/clientip"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
	"gitlab.opencode.de/pforte/pforte/internal/invalidate"
	"gitlab.opencode.de/pforte/pforte/internal/navigation"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/pwa"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// Deps is everything the web layer needs, built once by run().
type Deps struct {
	Config  *config.Config
	Tenants *tenant.Registry
	Store   store.Store
	Catalog *i18n.Catalog
	Logger  *slog.Logger
	Metrics *prometheus.Registry
	Files   fs.FS // templates/ and static/
	Now     func() time.Time
	Auth    *auth.Providers // per-tenant OIDC providers
	Sealer  *auth.Sealer    // seals sessions at rest
	// AccountSealer seals app passwords (a key of its own purpose).
	AccountSealer *auth.Sealer
	PushKeys      map[string]*push.VAPIDKeys // by tenant id
	// Offline keeps refresh tokens of users with reminders on (nil: none).
	Offline *offline.Access
	// Dashboard is the per-user snapshot service over the tenants' sources.
	Dashboard  *dashboard.Snapshots
	Navigation *navigation.Menus // the tenants' central navigations (nil: apps lists only)
	// Announce is the announcement service (built on Store when nil).
	Announce *announce.Service
	// Background ends with the process: subscriptions and workers that
	// outlive a request run under it (nil in tests that need none).
	Background context.Context
	Version    string
	BodySize   int // request body limit in bytes; default 1 MiB
	// BypassLocalCaches is for measuring only: the per-instance session and
	// snapshot caches keep nothing, so every request reads the store.
	BypassLocalCaches bool
	// Exchangers exchange users' tokens per tenant (sources with auth: exchange).
	Exchangers map[string]accounts.Exchanger
}

// Server is the Fiber app with its prepared assets and per-tenant sessions.
type Server struct {
	Deps
	app       *fiber.App
	assets    *assets.Set
	sessions  *sessions
	metrics   *httpMetrics
	refresher *auth.Refresher   // one token refresh per session at a time
	workers   *pwa.Workers      // /sw.js per tenant (sw.go)
	users     *auth.UserCache   // per-instance session cache (localcache.go)
	bus       *invalidate.Bus   // drops local cache entries on every instance
	csp       map[string]string // per tenant with OIDC: the CSP naming its provider
	metricsH  fiber.Handler     // /metrics, built once

	creds map[string]*accounts.Resolver // per tenant: how each source authenticates
	// proxies are trusted_proxies, parsed once (clientip.go).
	proxies clientip.Trusted
}

// New builds the app: templates parsed and assets hashed once, here.
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.BodySize == 0 {
		d.BodySize = 1 << 20
	}
	if d.Announce == nil {
		d.Announce = announce.NewService(d.Store, d.Logger, d.Now)
	}
	st, err := assets.Load(d.Files)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, assets: st, sessions: newSessions(d.Tenants, d.Store), metrics: newHTTPMetrics(d.Metrics),
		users: auth.NewUserCache(localEntries, localUserTTL, d.BypassLocalCaches)}
	s.bus = s.newBus()
	if d.Background != nil {
		s.bus.Listen(d.Background)
	}
	s.proxies = clientip.ParseTrusted(d.Config.TrustedProxies)
	timeout := d.Config.Dashboard.SourceTimeout.Duration
	if timeout <= 0 {
		timeout = config.DefaultSourceTimeout
	}
	s.refresher = auth.NewRefresher(d.Auth, timeout, localEntries)
	s.csp, s.creds = map[string]string{}, accounts.Resolvers(d.Tenants.Configs(), d.Store, d.AccountSealer, d.Exchangers)
	for _, t := range d.Tenants.All() {
		if t.OIDC != nil {
			s.csp[t.ID] = tenantCSP(t.OIDC.Issuer)
		}
	}
	s.metricsH = adaptor.HTTPHandler(promhttp.HandlerFor(d.Metrics, promhttp.HandlerOpts{}))
	if s.workers, err = newServiceWorkers(d, st); err != nil {
		return nil, err
	}

	tmpl, err := fs.Sub(d.Files, "templates")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	engine := html.NewFileSystem(http.FS(tmpl), ".html")
	engine.AddFuncMap(s.templateFuncs())
	if err := engine.Load(); err != nil {
		return nil, fmt.Errorf("web: parse templates: %w", err)
	}

	s.app = fiber.New(fiber.Config{
		Views:          engine,
		ViewsLayout:    "layouts/main",
		ErrorHandler:   s.handleError,
		BodyLimit:      d.BodySize,
		ReadTimeout:    15 * time.Second,
		WriteTimeout:   30 * time.Second,
		IdleTimeout:    90 * time.Second,
		ReadBufferSize: 16 << 10, // large OIDC cookies and headers fit
		// A dashboard document (about 5.5 KB uncompressed) goes out in one
		// write system call with its headers; with the default 4 KB it took
		// two, a fifth of the CPU per request (docs/benchmarks.md).
		WriteBufferSize:       8 << 10,
		DisableStartupMessage: true,
		AppName:               "Pforte",
		// Only configured proxies may set X-Forwarded-*; the tenant comes
		// from the Host header otherwise.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(d.Config.TrustedProxies),
	})
	keepStreams(s.app)
	s.routes()
	// Fiber fills a list Render needs on the first Render, without a lock:
	// two first renders at once race. Fill it here, before any request.
	c := s.app.AcquireCtx(&fasthttp.RequestCtx{})
	_ = c.Render("-", nil) // no such view: only the list is filled
	s.app.ReleaseCtx(c)
	return s, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// tenantStore is the store under this request's tenant prefix: every key a
// handler touches is tenant-scoped through it.
func (s *Server) tenantStore(c *fiber.Ctx) store.Store {
	return store.ForTenant(s.Store, tenantOf(c).ID)
}

// credentials is the request tenant's credential resolver: it alone
// decides how each source authenticates.
func (s *Server) credentials(c *fiber.Ctx) *accounts.Resolver { return s.creds[tenantOf(c).ID] }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends. Open event streams end first: they would never go idle.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Announce.Stop()
	return s.app.ShutdownWithContext(ctx)
}
