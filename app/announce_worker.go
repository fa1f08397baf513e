package main

import (
	"context"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// startScheduler runs the announcement scheduler (publish and expiry
// events, once across all instances) until the returned stop is called;
// stop waits for it to finish.
func startScheduler(ctx context.Context, st store.Store, tenants *tenant.Registry, log *slog.Logger) (stop func()) {
	ids := []string{}
	for _, t := range tenants.All() {
		ids = append(ids, t.ID)
	}
	s := &announce.Scheduler{Store: st, Tenants: ids, Now: time.Now, Interval: time.Second, Logger: log}
	return background(ctx, s.Run)
}
