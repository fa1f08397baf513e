package reminders

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Calendar reads a person's meetings (calendar.Client).
type Calendar interface {
	Fetch(ctx context.Context, cred upstream.Credential, now time.Time) ([]calendar.Event, error)
}

// Snapshots gives the dashboard's cached copy of a person's meetings while
// it is fresh (dashboard.Snapshots.Fresh): planning then costs no request.
type Snapshots interface {
	Fresh(ctx context.Context, tenantID, subject string) (dashboard.Snapshot, bool)
}

// Tenant is what the scheduler needs of one tenant.
type Tenant struct {
	ID       string
	Calendar Calendar
	Sender   *push.Sender
	Push     config.TenantPush // quiet hours, content-free mode
	Location *time.Location
	Lang     string // the tenant's default language
	Origin   string // https://host: the dashboard, for navigate
}

// Scheduler keeps every opted-in person's next reminders in the store and
// sends them. Its work is two sorted sets per tenant, read by every
// instance: people to plan (score: when to read their calendar next) and
// reminders due (score: when to send). Whoever takes an entry holds it by
// a claim key that expires (the lease): an instance that dies mid-way
// leaves the entry for another one. A "sent" claim per occurrence makes
// the push once across all instances.
type Scheduler struct {
	Store     store.Store // root store; tenants are scoped inside
	Tenants   []Tenant
	Creds     Credentials
	Snapshots Snapshots // nil: always ask the calendar
	Now       func() time.Time
	Logger    *slog.Logger

	// PlanEvery is how often a person's calendar is read to find the next
	// reminders (default 20 min): with the re-check before each push, at
	// most 3 reads an hour plus one per reminder.
	PlanEvery time.Duration
	Poll      time.Duration // how often due work is looked for (default 5 s)
	Lease     time.Duration // how long taken work is held (default 2 min)
	// Early is how long before its time a reminder is taken (default 30 s):
	// the calendar is re-checked meanwhile, and the push then waits for
	// its time (Wait), so it goes out on time even at a peak.
	Early time.Duration
	// Wait waits until a reminder's time (nil: a real timer; tests with a
	// fake clock pass one that returns at once).
	Wait     func(ctx context.Context, d time.Duration)
	Batch    int // entries taken per tenant and pass (default 200)
	Parallel int // entries worked on at once (default 16)

	// Senders bounds the pushes sent at once (default 64): at a peak the
	// reminders due in one second share the connections to the push
	// services instead of opening one each.
	Senders int

	consumer string
	once     sync.Once
	sendSem  chan struct{}
	semOnce  sync.Once
	parked   sync.WaitGroup // jobs waiting for their reminder's time
}

// Run works on the reminders of every tenant until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	poll := s.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	defer s.parked.Wait()
	for {
		if s.Tick(ctx).More && ctx.Err() == nil {
			continue // a full batch: more is due now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Stats counts what one Tick did.
type Stats struct {
	Planned, Checked, Sent, Delivered int
	// Retried counts reminders due but not sent now (shutting down, a
	// store error, another instance sending): scheduled again.
	Retried int
	More    bool // a batch was full: more may be due
}

// Tick does, in this instance, all reminder work that is due now: plans
// people whose calendar is to be read and sends the reminders due.
func (s *Scheduler) Tick(ctx context.Context) Stats {
	var all Stats
	var mu sync.Mutex
	for _, t := range s.Tenants {
		st := store.ForTenant(s.Store, t.ID)
		now := s.now()
		var jobs []func(free func()) Stats
		plans, err := st.ZRangeByScore(ctx, planKey, 0, float64(now.Unix()), 0, s.batch(), false)
		if err != nil {
			s.logger().Warn("reminders: read plan", "tenant", t.ID, "err", err)
		}
		for _, subject := range plans {
			jobs = append(jobs, func(free func()) Stats { return s.takeAndPlan(ctx, t, st, subject, free) })
		}
		due, err := st.ZRangeByScore(ctx, dueKey, 0, float64(now.Add(s.early()).Unix()), 0, s.batch(), false)
		if err != nil {
			s.logger().Warn("reminders: read due", "tenant", t.ID, "err", err)
		}
		full := len(plans) == s.batch() || len(due) == s.batch()
		for _, member := range due {
			jobs = append(jobs, func(free func()) Stats { return s.takeAndCheck(ctx, t, st, member, free) })
		}
		sem := make(chan struct{}, s.parallel())
		var wg sync.WaitGroup
		for _, job := range jobs {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				// A job waiting for its reminder's time frees its slot, so
				// the checks of the others are not held up; on the real
				// clock it is parked: the tick goes on without it (its
				// figures are not counted) and Run waits for it at the end.
				var once sync.Once
				parked := false
				release := func() { <-sem }
				free := func() {
					once.Do(func() {
						release()
						if s.Wait == nil {
							parked = true
							s.parked.Add(1)
							wg.Done()
						}
					})
				}
				got := job(free)
				if parked {
					s.parked.Done()
					return
				}
				once.Do(release)
				mu.Lock()
				all.Planned += got.Planned
				all.Checked += got.Checked
				all.Sent += got.Sent
				all.Delivered += got.Delivered
				all.Retried += got.Retried
				mu.Unlock()
				wg.Done()
			}()
		}
		wg.Wait()
		// Entries other instances hold stay in the sets: only progress here
		// means the rest is worth asking for at once.
		all.More = all.More || (full && all.Planned+all.Checked > 0)
	}
	return all
}

// take claims an entry of zset key for the lease: a claim key on its
// current score (exactly one instance wins it), then the entry's score is
// moved to the lease's end, so later passes page past it and it comes due
// again only if this instance dies before finishing. false: another
// instance has it, or it is not due (any more).
func (s *Scheduler) take(ctx context.Context, st store.Store, key, member string) (float64, bool) {
	score, err := st.ZScore(ctx, key, member)
	now := s.now()
	if err != nil || score > float64(now.Add(s.early()).Unix()) {
		return 0, false
	}
	ok, err := st.SetNX(ctx, takeKey(key, member, score), []byte(s.consumerID()), s.lease())
	if err != nil || !ok {
		return 0, false
	}
	held := float64(now.Add(s.lease()).Unix())
	if err := st.ZAdd(ctx, key, member, held); err != nil {
		return 0, false // the claim runs out; retaken then
	}
	return held, true
}

// done removes a finished entry unless it was rescheduled meanwhile.
func done(ctx context.Context, st store.Store, key, member string, score float64) {
	if now, err := st.ZScore(ctx, key, member); err == nil && now == score {
		_ = st.ZRem(ctx, key, member)
	}
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Scheduler) planEvery() time.Duration {
	if s.PlanEvery > 0 {
		return s.PlanEvery
	}
	return 20 * time.Minute
}

func (s *Scheduler) wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	if s.Wait != nil {
		s.Wait(ctx, d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// sending holds one of the Senders slots until release is called.
func (s *Scheduler) sending(ctx context.Context) (release func(), ok bool) {
	s.semOnce.Do(func() {
		n := s.Senders
		if n <= 0 {
			n = 64
		}
		s.sendSem = make(chan struct{}, n)
	})
	select {
	case s.sendSem <- struct{}{}:
		return func() { <-s.sendSem }, true
	case <-ctx.Done():
		return nil, false
	}
}

func (s *Scheduler) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return 2 * time.Minute
}

func (s *Scheduler) early() time.Duration {
	if s.Early > 0 {
		return s.Early
	}
	return 30 * time.Second
}

func (s *Scheduler) batch() int {
	if s.Batch > 0 {
		return s.Batch
	}
	return 200
}

func (s *Scheduler) parallel() int {
	if s.Parallel > 0 {
		return s.Parallel
	}
	return 16
}

// consumerID names this instance in its claims.
func (s *Scheduler) consumerID() string {
	s.once.Do(func() { s.consumer = store.NewInstanceID() })
	return s.consumer
}
