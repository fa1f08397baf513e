package notify

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// TenantPush is what the dispatcher needs of one tenant.
type TenantPush struct {
	ID       string
	Sender   *push.Sender
	Config   config.TenantPush
	Location *time.Location
	Lang     string // the tenant's default language for notification text
	Origin   string // https://host, for the absolute link of a declarative push ("" : a path)
}

// Dispatcher turns announcements with push into web pushes through the
// durable outbox (outbox.go): once per publication across all instances,
// to the devices of the targeted users only, held back during quiet hours
// unless critical, content-free where the tenant asks for it, retried until
// the TTL, and resumed by another instance when one dies.
type Dispatcher struct {
	Store   store.Store // root store; tenants are scoped inside
	Tenants []TenantPush
	Now     func() time.Time
	Logger  *slog.Logger
	Workers int           // concurrent requests per chunk (default 16)
	Tick    time.Duration // how often held-back pushes are checked (default 30 s)

	ChunkSize int           // targets per outbox item (default DefaultChunkSize)
	Parallel  int           // chunks one instance delivers at once (default 4)
	Lease     time.Duration // how long a chunk is held without a heartbeat (default 15 s)
	Poll      time.Duration // how often the outbox is checked without a wake-up (default 2 s)
	TTL       time.Duration // how long a push may wait for a device (default 24 h)
	RetryBase time.Duration // first retry wait, doubled per attempt (default 10 s)
	RetryMax  time.Duration // longest retry wait (default 15 min)

	brk      breaker
	tally    tally
	consumer string
	initOnce sync.Once
}

const delayedKey = "push:delayed"

// Stats counts outcomes: of one plan (Targets, Held, Claimed) or of the
// chunks delivered (the rest).
type Stats struct {
	Targets, Delivered, Gone, Failed, Expired, Retrying int
	Held                                                bool      // quiet hours: sent later
	Until                                               time.Time // when held
	Claimed                                             bool      // false: another instance sends it
}

func (s *Stats) add(o Stats) {
	s.Targets += o.Targets
	s.Delivered += o.Delivered
	s.Gone += o.Gone
	s.Failed += o.Failed
	s.Expired += o.Expired
	s.Retrying += o.Retrying
	s.Held = s.Held || o.Held
	s.Claimed = s.Claimed || o.Claimed
	if !o.Until.IsZero() {
		s.Until = o.Until
	}
}

// Send plans announcement id of tenant t now and delivers the outbox work
// that is ready in this instance (the CLI and tests; the server's Run
// leaves it to whichever instance leases it). Targets to retry stay in the
// outbox.
func (d *Dispatcher) Send(ctx context.Context, t TenantPush, id string) (Stats, error) {
	stats, err := d.plan(ctx, t, id, false)
	if err != nil || !stats.Claimed {
		return stats, err
	}
	more, err := d.Drain(ctx, t)
	stats.add(more)
	return stats, err
}

// targets are the devices of known users the announcement targets. Only
// users who have a device are read, not every known user. The devices are
// read a few batches at once: the time this takes comes before the first
// push. The two user lists are read one after the other, each in pages
// (store.HScan): as one reply each (100,000 users: megabytes) they ran past
// the store's I/O timeout on a busy machine and plan failed.
func (d *Dispatcher) targets(ctx context.Context, st store.Store, repo *announce.Repo, a *announce.Announcement) ([]push.Target, error) {
	users, err := repo.Users(ctx)
	if err != nil {
		return nil, err
	}
	devices := NewDevices(st)
	withDevices, err := devices.Users(ctx)
	if err != nil {
		return nil, err
	}
	has := make(map[string]bool, len(withDevices))
	for _, s := range withDevices {
		has[s] = true
	}
	var wanted []string
	for _, u := range users {
		if has[u.Subject] && a.Targets(u.Groups) {
			wanted = append(wanted, u.Subject)
		}
	}
	// The users' devices in batches of 500 hashes per round trip, 4 at once.
	const batch = 500
	lists := make([][]push.Target, (len(wanted)+batch-1)/batch)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i := range lists {
		subjects := wanted[i*batch : min((i+1)*batch, len(wanted))]
		g.Go(func() (err error) { lists[i], err = devices.targetsOf(gctx, subjects); return err })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(lists...), nil
}

func cutTarget(id string) (subject, device string, ok bool) {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '|' {
			return id[:i], id[i+1:], true
		}
	}
	return id, "", false
}
