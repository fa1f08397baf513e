package reminders

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// acceptTimes notes when the push service accepted each message (201).
type acceptTimes struct {
	mu   sync.Mutex
	at   []time.Time
	next http.RoundTripper
}

func (a *acceptTimes) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := a.next.RoundTrip(r)
	if err == nil && res.StatusCode == http.StatusCreated {
		a.mu.Lock()
		a.at = append(a.at, time.Now())
		a.mu.Unlock()
	}
	return res, err
}

// TestMeasureReminders is the measurement of docs/benchmarks.md, not a
// check: scripts/load-reminders.sh runs it on a stack with N load users
// (PFORTE_MEASURE_REMINDERS=N, default 1000). Each user has two video
// meetings in Radicale and one subscribed device at the strict push
// service. It reports
//  1. the send delay at the peak: every user's reminder due in the same
//     second (everyone's 9:00 meeting), the real scheduler on the real
//     clock, from the scheduled time to the push service's 201 (the push
//     service in Fast mode: headers checked, nothing decrypted);
//  2. the CalDAV requests per user per hour: one hour on a fake clock
//     (a pass every 30 s), counted at the CalDAV client's transport.
func TestMeasureReminders(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PFORTE_MEASURE_REMINDERS"))
	if n <= 0 {
		t.Skip("measurement only: scripts/load-reminders.sh")
	}
	ctx := context.Background()
	r := newRig(t, stores(t)["redis"](t))
	// The push service skips decrypting and verifying (headers are still
	// checked): on a 2-core machine its CPU would otherwise count as Pforte's.
	// HTTP/2 as FCM and Apple's service speak it.
	r.push = pushtest.New(pushtest.Options{Fast: true, HTTP2: true})
	defer r.push.Close()
	users := make([]string, n)
	for i := range users {
		users[i] = fmt.Sprintf("load%04d", i+1)
		r.users[users[i]] = users[i] + "-pw"
	}
	t0 := time.Now().UTC().Truncate(time.Second)
	acc := r.creds.Resolvers[r.tenantID].Accounts()
	setup := time.Now()
	var g errgroup.Group
	g.SetLimit(16)
	subs := make([]push.Subscription, n)
	for i, u := range users {
		g.Go(func() error {
			r.calURL[u] = r.caldav + u + "/" + r.calName + "/"
			r.do(u, "MKCALENDAR", r.calURL[u], nil, http.StatusCreated)
			r.putEvent(u, "later.ics", meeting("later-"+u, "Abstimmung", t0.Add(41*time.Minute)))
			subs[i] = r.device(u)
			if err := acc.Connect(ctx, "sub-"+u, "calendar", accounts.Account{Username: u, Password: u + "-pw", ConnectedAt: t0}); err != nil {
				return err
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, u := range users {
			r.do(u, http.MethodDelete, r.calURL[u], nil, http.StatusOK, http.StatusNoContent)
		}
	})
	// Every reminder is due at the same second, far enough ahead for the
	// first plan of everyone.
	// Five minutes ahead: the events are written and everyone planned by then.
	peak := time.Now().UTC().Truncate(time.Second).Add(15 * time.Minute)
	for _, u := range users {
		g.Go(func() error {
			r.putEvent(u, "peak.ics", meeting("peak-"+u, "Morgenrunde", peak))
			return nil
		})
	}
	_ = g.Wait()
	t.Logf("setup of %d users: %v", n, time.Since(setup).Round(time.Second))

	// 1. Peak send delay, real clock, two instances.
	accepted := &acceptTimes{next: r.push.Client().Transport}
	sender, err := push.NewSender(push.Config{Keys: mustKeys(t), Subject: "it@city.example", Client: &http.Client{Transport: accepted, Timeout: 30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	r.tenant.Sender = sender
	r.clock.Set(time.Now())
	for _, u := range users {
		r.optIn(u, 10, ScopeVideo)
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range 2 {
		s := &Scheduler{Store: r.root, Tenants: []Tenant{r.tenant}, Creds: r.creds, Now: time.Now}
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(runCtx) }()
	}
	due := peak.Add(-10 * time.Minute)
	// How far the checks (two CalDAV requests each) got by the scheduled time.
	peakStart := r.requests.n.Load()
	var atDue atomic.Int64
	dueTimer := time.AfterFunc(time.Until(due), func() { atDue.Store(r.requests.n.Load() - peakStart) })
	defer dueTimer.Stop()
	for deadline := due.Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		accepted.mu.Lock()
		got := len(accepted.at)
		accepted.mu.Unlock()
		if got >= n {
			break
		}
	}
	stop()
	wg.Wait()
	t.Logf("peak: CalDAV requests (first plans, then checks) done by the scheduled time: %d of %d", atDue.Load(), r.requests.n.Load()-peakStart)
	delays := make([]time.Duration, 0, n)
	for _, at := range accepted.at {
		delays = append(delays, at.Sub(due))
	}
	slices.Sort(delays)
	if len(delays) == 0 {
		t.Fatal("no reminder was accepted by the push service")
	}
	q := func(p float64) time.Duration {
		return delays[min(len(delays)-1, int(p*float64(len(delays))))].Round(10 * time.Millisecond)
	}
	t.Logf("peak: %d of %d reminders accepted; send delay (push service's 201 minus scheduled time; negative = early): min %v p50 %v p95 %v max %v",
		len(delays), n, delays[0].Round(10*time.Millisecond), q(0.5), q(0.95), delays[len(delays)-1].Round(10*time.Millisecond))

	// 2. CalDAV requests per user per hour on a fake clock: a fresh tenant
	// store, the same calendars.
	fresh := newRig(t, r.root)
	fresh.requests = r.requests
	for _, u := range users {
		if err := fresh.creds.Resolvers[fresh.tenantID].Accounts().Connect(ctx, "sub-"+u, "calendar", accounts.Account{Username: u, Password: u + "-pw", ConnectedAt: t0}); err != nil {
			t.Fatal(err)
		}
		fresh.device(u)
	}
	fresh.tenant.Calendar = r.tenant.Calendar // reads the calendars set up above
	fresh.clock.Set(t0)
	for _, u := range users {
		fresh.optIn(u, 10, ScopeVideo)
	}
	s := fresh.scheduler()
	before := r.requests.n.Load()
	var sent int
	start := time.Now()
	for d := time.Duration(0); d < time.Hour; d += 30 * time.Second {
		fresh.clock.Set(t0.Add(d))
		for {
			st := s.Tick(ctx)
			sent += st.Sent
			if !st.More {
				break
			}
		}
	}
	reqs := r.requests.n.Load() - before
	t.Logf("one hour (fake clock, %v real): %d CalDAV requests for %d users = %.1f per user per hour; %d reminders sent (2 meetings each)",
		time.Since(start).Round(time.Second), reqs, n, float64(reqs)/float64(n), sent)
}

func mustKeys(t *testing.T) *push.VAPIDKeys {
	k, err := push.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
