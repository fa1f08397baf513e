package main

import (
	"context"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// logDurability tells the operator at start whether the store keeps
// records. A volatile Redis is an error (the instance will not become
// ready) unless allowVolatile; a check that could not run is a warning.
func logDurability(ctx context.Context, st store.Store, allowVolatile bool, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	d := store.CheckDurability(ctx, st)
	switch {
	case !d.Checked:
		log.Warn("store: could not check that Redis keeps records; going on", "reason", d.Reason)
	case d.Volatile() && allowVolatile:
		log.Warn("store: Redis may lose records; store.allow_volatile is true, so serving anyway", "problems", d.Problems)
	case d.Volatile():
		log.Error("store: Redis may lose records; not ready until fixed (or set store.allow_volatile: true for trials)", "problems", d.Problems)
	default:
		log.Info("store: records are kept", "persistence", d.Persistence, "maxmemory_policy", d.MaxmemoryPolicy)
	}
}
