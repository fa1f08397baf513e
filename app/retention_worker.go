package main

import (
	"context"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// startRetention runs the retention sweep (hourly, once across all
// instances) until the returned stop is called; stop waits for it.
func startRetention(ctx context.Context, st store.Store, cfg *config.Config, log *slog.Logger) (stop func()) {
	limits := map[string]records.Limits{}
	for _, t := range cfg.Tenants {
		limits[t.ID] = records.LimitsOf(t.Retention)
	}
	s := &records.Sweeper{Store: st, Tenants: limits, Now: time.Now, Logger: log}
	return background(ctx, s.Run)
}
