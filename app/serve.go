package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"gitlab.opencode.de/pforte/pforte"
	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/demo"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
	"gitlab.opencode.de/pforte/pforte/internal/logbuf"
	"gitlab.opencode.de/pforte/pforte/internal/navigation"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
	"gitlab.opencode.de/pforte/pforte/internal/web"
)

// shutdownGrace is how long in-flight requests may take after SIGTERM.
const shutdownGrace = 10 * time.Second

// serve builds every long-lived part once, serves until ctx ends, then
// drains requests and closes the store.
func serve(ctx context.Context, configPath string, getenv func(string) string, stdout io.Writer) error {
	out := logbuf.New(stdout) // lines gather while a write is under way: one system call for many requests
	defer func() { _ = out.Close() }()
	log := newLogger(out, getenv)
	cfg, err := loadConfig(configPath, getenv)
	if err != nil {
		return err
	}
	if cfg.Demo {
		log.Warn("no config file given: running the DEMO (sample data, demo sign-in); set PFORTE_CONFIG for production")
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	st, err := store.Open(ctx, cfg.Store.RedisURL, cfg.Store.DataDir, log)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()
	logDurability(ctx, st, cfg.Store.AllowVolatile, log)
	tenants, err := tenant.NewRegistry(cfg)
	if err != nil {
		return err
	}
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	sealer, err := auth.NewSealer(cfg.SecretKey, "session v1")
	if err != nil {
		return err
	}
	accountSealer, err := auth.NewSealer(cfg.SecretKey, "app passwords v1")
	if err != nil {
		return err
	}
	// Cached dashboards hold mail subjects, meeting titles and file names:
	// sealed at rest like sessions.
	snapSealer, err := auth.NewSealer(cfg.SecretKey, "dashboard snapshot v1")
	if err != nil {
		return err
	}
	if cfg.Demo {
		// The demo's own IMAP, CalDAV and WebDAV servers on loopback: the
		// demo reads sample data through the same connectors as production.
		t := &cfg.Tenants[0]
		ups, err := demo.Start(ctx, time.Now(), t.Location, log)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer func() {
			if err := ups.Close(); err != nil {
				log.Error("stop demo servers", "err", err)
			}
		}()
		if err := ups.Connect(ctx, t, accounts.New(store.ForTenant(st, t.ID), t.ID, accountSealer), time.Now()); err != nil {
			return err
		}
	}
	vapidSealer, err := auth.NewSealer(cfg.SecretKey, "vapid v1")
	if err != nil {
		return err
	}
	pushKeys := map[string]*push.VAPIDKeys{}
	for _, t := range tenants.All() {
		if pushKeys[t.ID], err = notify.Keys(ctx, store.ForTenant(st, t.ID), t.ID, t.Push, vapidSealer); err != nil {
			return err
		}
	}
	upstreamClient := dashboard.NewUpstreamClient(30 * time.Second) // per-source deadlines come from the context
	sources := map[string]dashboard.Sources{}
	failures := dashboard.NewFailures(log, reg, 0, 0, time.Now)
	for _, t := range tenants.All() {
		if sources[t.ID], err = dashboard.SourcesFor(t.Tenant, upstreamClient, failures); err != nil {
			return err
		}
	}
	// Background dashboard refreshes outlive requests but not the process.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	cache := dashboard.NewCache(bgCtx, cfg.Dashboard.CacheTTL.Duration, 24*time.Hour, 64, log)
	defer func() {
		stopBackground()
		cache.Wait()
	}()
	stopScheduler := startScheduler(bgCtx, st, tenants, log) // announcements: publish/expiry events
	defer stopScheduler()
	stopRetention := startRetention(bgCtx, st, cfg, log) // deletes what outstayed its retention limit
	defer stopRetention()
	stopPush, err := startPushDispatcher(bgCtx, cfg, st, tenants, pushKeys, log)
	if err != nil {
		return err
	}
	defer stopPush()
	webStore := store.Instrument(st, reg)
	bypass := bypassLocalCaches(getenv, log)
	snapshots := dashboard.NewSnapshots(cache, sources, cfg.Dashboard.SourceTimeout.Duration, webStore, snapSealer, time.Now)
	if bypass {
		snapshots.BypassLocal()
	}
	providers := auth.NewProviders(&http.Client{Timeout: 10 * time.Second}, time.Now)
	xchg, err := exchangers(cfg, st, tenants, providers)
	if err != nil {
		return err
	}
	background, err := newBackgroundAccess(cfg, st, providers)
	if err != nil {
		return err
	}
	menus, err := navigation.NewMenus(cfg.Tenants, webStore, upstreamClient, cfg.Dashboard.SourceTimeout.Duration, time.Now, log)
	if err != nil {
		return err
	}
	stopReminders, err := startReminders(bgCtx, cfg, st, tenants, pushKeys, snapshots, keptTokens{background}, xchg, accountSealer, upstreamClient, log)
	if err != nil {
		return err
	}
	defer stopReminders()
	srv, err := web.New(web.Deps{
		Config: cfg, Tenants: tenants, Store: webStore, Catalog: catalog,
		Logger: log, Metrics: reg, Files: pforte.Files,
		Auth: providers, Sealer: sealer, Exchangers: xchg, Offline: background,
		AccountSealer: accountSealer, PushKeys: pushKeys, Background: bgCtx,
		Dashboard:         snapshots,
		Navigation:        menus,
		Announce:          announce.NewService(webStore, log, time.Now),
		BypassLocalCaches: bypass,
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "tenants", len(tenants.All()), "demo", cfg.Demo)

	stopMetrics, err := serveMetrics(cfg.MetricsListen, srv, log)
	if err != nil {
		return err
	}
	defer stopMetrics()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return shutdown(srv, served, log)
}

// bypassLocalCaches reads PFORTE_MEASURE_BYPASS_LOCAL_CACHES, a switch for
// measuring only (scripts/load-dashboard.sh's store path): every request
// then reads its session and snapshot from the store, as when many more
// users are active than the memory caches hold.
func bypassLocalCaches(getenv func(string) string, log *slog.Logger) bool {
	if getenv("PFORTE_MEASURE_BYPASS_LOCAL_CACHES") != "1" {
		return false
	}
	log.Warn("measuring: local session and snapshot caches bypassed (PFORTE_MEASURE_BYPASS_LOCAL_CACHES=1); not for production")
	return true
}

func shutdown(srv *web.Server, served <-chan error, log *slog.Logger) error {
	log.Info("shutting down: draining requests", "grace", shutdownGrace.String())
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}
