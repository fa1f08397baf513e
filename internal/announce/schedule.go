package announce

import (
	"context"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Scheduler turns scheduled announcements live (and expired ones off) by
// sending their events when their time comes. Every instance may run one;
// PublishDue makes each event happen once.
type Scheduler struct {
	Store    store.Store // the whole store; each tenant is scoped with ForTenant
	Tenants  []string
	Now      func() time.Time
	Interval time.Duration // default 1 s
	Logger   *slog.Logger
}

// Run ticks until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	iv := s.Interval
	if iv <= 0 {
		iv = time.Second
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		s.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick runs one round over every tenant and returns how many events this
// instance sent.
func (s *Scheduler) Tick(ctx context.Context) int {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	sent := 0
	for _, id := range s.Tenants {
		n, err := NewRepo(store.ForTenant(s.Store, id)).PublishDue(ctx, now())
		sent += n
		if err != nil && ctx.Err() == nil && s.Logger != nil {
			s.Logger.Warn("announce: scheduler round failed", "tenant", id, "err", err)
		}
	}
	return sent
}
