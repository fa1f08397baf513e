package records

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// DefaultSweepEvery is how often the retention sweep runs across all instances.
const DefaultSweepEvery = time.Hour

// Sweeper runs Sweep for every tenant once per period across all instances:
// the first instance to take the period's lease in the store sweeps, the
// others skip. A sweep that dies half-way is simply done again next period
// (deleting what is old is idempotent).
type Sweeper struct {
	Store   store.Store       // root store
	Tenants map[string]Limits // by tenant id
	Now     func() time.Time
	Every   time.Duration // default DefaultSweepEvery
	Logger  *slog.Logger
	id      string
}

// leaseKey is the root-store key of the lease for the period containing now.
func (s *Sweeper) leaseKey(now time.Time) string {
	return "retention:lease:" + strconv.FormatInt(now.Truncate(s.every()).Unix(), 10)
}

func (s *Sweeper) every() time.Duration {
	if s.Every <= 0 {
		return DefaultSweepEvery
	}
	return s.Every
}

// RunOnce sweeps every tenant if this instance wins the current period's
// lease; ran reports whether it did.
func (s *Sweeper) RunOnce(ctx context.Context) (ran bool, err error) {
	if s.id == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		s.id = hex.EncodeToString(b)
	}
	now := s.Now()
	ok, err := s.Store.SetNX(ctx, s.leaseKey(now), []byte(s.id), 2*s.every())
	if err != nil || !ok {
		return false, err
	}
	for id, l := range s.Tenants {
		swept, err := Sweep(ctx, store.ForTenant(s.Store, id), l, now)
		if err != nil {
			return true, fmt.Errorf("records: retention sweep of %s: %w", id, err)
		}
		if swept != (Swept{}) && s.Logger != nil {
			s.Logger.Info("retention: deleted what outstayed its limit", "tenant", id, "announcements", swept.Announcements,
				"receipts", swept.Receipts, "audit", swept.Audit, "devices", swept.Devices, "users", swept.Users)
		}
	}
	return true, nil
}

// Run sweeps at start and then every period until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(s.every())
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil && s.Logger != nil {
			s.Logger.Warn("retention sweep failed; next period retries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
