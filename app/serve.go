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
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
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
	log := newLogger(stdout, getenv)
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
	if cfg.Demo {
		ups, err := startDemo(ctx, cfg, st, accountSealer, log)
		if err != nil {
			return err
		}
		defer func() {
			if err := ups.Close(); err != nil {
				log.Error("stop demo servers", "err", err)
			}
		}()
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
	upstreamClient := &http.Client{Timeout: 30 * time.Second} // per-source deadlines come from the context
	sources := map[string]dashboard.Sources{}
	for _, t := range tenants.All() {
		if sources[t.ID], err = dashboard.SourcesFor(t.Tenant, upstreamClient); err != nil {
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
	stopPush, err := startPushDispatcher(bgCtx, cfg, st, tenants, pushKeys, log)
	if err != nil {
		return err
	}
	defer stopPush()
	srv, err := web.New(web.Deps{
		Config: cfg, Tenants: tenants, Store: store.Instrument(st, reg), Catalog: catalog,
		Logger: log, Metrics: reg, Files: pforte.Files,
		Auth: auth.NewProviders(&http.Client{Timeout: 10 * time.Second}, time.Now), Sealer: sealer,
		AccountSealer: accountSealer, Sources: sources, DashCache: cache, PushKeys: pushKeys, Background: bgCtx,
		BypassLocalCaches: bypassLocalCaches(getenv, log),
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "tenants", len(tenants.All()), "demo", cfg.Demo)

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
