package announce

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

// An announcement scheduled for 09:00 is invisible at 08:59, appears at
// 09:00 with one "published" event, and leaves the current list at its
// expiry (one "expired" event) while staying in the archive.
func TestScheduleAndExpiryWithFakeClock(t *testing.T) {
	for name, st := range map[string]func(*testing.T) store.Store{"redis": redisStore, "bolt": boltStore} {
		t.Run(name, func(t *testing.T) {
			s := st(t)
			tenantID := "sched-" + NewID()[:8]
			clk := &clock{now: time.Date(2026, 11, 23, 8, 0, 0, 0, berlin)}
			repo := NewRepo(store.ForTenant(s, tenantID))
			exp := time.Date(2026, 11, 23, 12, 0, 0, 0, berlin)
			a := &Announcement{ID: NewID(), Title: "Wartung", Body: "Mail", Severity: SeverityWarning,
				PublishAt: time.Date(2026, 11, 23, 9, 0, 0, 0, berlin), ExpiresAt: &exp, Groups: []string{}}
			mustSave(t, repo, a)
			got := listen(t, s, tenantID)
			sched := &Scheduler{Store: s, Tenants: []string{tenantID}, Now: clk.Now}

			clk.Set(time.Date(2026, 11, 23, 8, 59, 59, 0, berlin))
			sched.Tick(t.Context())
			if cur, _ := repo.Current(t.Context(), []string{"staff"}, clk.Now()); len(cur) != 0 {
				t.Fatalf("at 08:59:59 staff see %v, want nothing yet", ids(cur))
			}
			if ev := got.settle(); len(ev) != 0 {
				t.Fatalf("events before 09:00: %+v", ev)
			}

			clk.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, berlin))
			sched.Tick(t.Context())
			sched.Tick(t.Context())
			if cur, _ := repo.Current(t.Context(), []string{"staff"}, clk.Now()); !slices.Equal(ids(cur), []string{a.ID}) {
				t.Fatalf("at 09:00 staff see %v, want the announcement", ids(cur))
			}
			if ev := got.settle(); len(ev) != 1 || ev[0].Type != EventPublished || ev[0].ID != a.ID {
				t.Fatalf("events at 09:00: %+v, want one published", ev)
			}

			clk.Set(exp)
			sched.Tick(t.Context())
			sched.Tick(t.Context())
			if cur, _ := repo.Current(t.Context(), []string{"staff"}, clk.Now()); len(cur) != 0 {
				t.Fatalf("at expiry staff still see %v", ids(cur))
			}
			if ev := got.settle(); len(ev) != 2 || ev[1].Type != EventExpired {
				t.Fatalf("events after expiry: %+v, want published then expired", ev)
			}
			// Weeks later it is still in the archive (nothing disappears after 7 days).
			clk.Set(exp.AddDate(0, 1, 0))
			p, err := repo.Archive(t.Context(), []string{"staff"}, clk.Now(), "", 1, 20)
			if err != nil || !slices.Equal(ids(p.Items), []string{a.ID}) {
				t.Fatalf("archive a month later: %v %v, want the announcement", ids(p.Items), err)
			}
		})
	}
}

// Three instances, each with its own connection to one Redis, ticking at
// the same moment: every publication is announced exactly once.
func TestThreeInstancesPublishOnce(t *testing.T) {
	tenantID := "three-" + NewID()[:8]
	stores := []store.Store{redisStore(t), redisStore(t), redisStore(t)}
	clk := &clock{now: time.Date(2026, 11, 23, 8, 0, 0, 0, berlin)}
	repo := NewRepo(store.ForTenant(stores[0], tenantID))
	var want []string
	for i := range 5 {
		a := &Announcement{ID: NewID(), Title: fmt.Sprint("Meldung ", i), Body: "x", Severity: SeverityInfo,
			PublishAt: time.Date(2026, 11, 23, 9, 0, i, 0, berlin), Groups: []string{}}
		mustSave(t, repo, a)
		want = append(want, a.ID)
	}
	got := listen(t, stores[1], tenantID)
	clk.Set(time.Date(2026, 11, 23, 9, 0, 30, 0, berlin))
	var wg sync.WaitGroup
	sent := make([]int, 3)
	for i, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched := &Scheduler{Store: st, Tenants: []string{tenantID}, Now: clk.Now}
			for range 3 {
				sent[i] += sched.Tick(t.Context())
			}
		}()
	}
	wg.Wait()
	ev := got.settle()
	var published []string
	for _, e := range ev {
		if e.Type == EventPublished {
			published = append(published, e.ID)
		}
	}
	slices.Sort(published)
	slices.Sort(want)
	if !slices.Equal(published, want) {
		t.Fatalf("published events %v (per instance %v), want each of %v exactly once", published, sent, want)
	}
	if sent[0]+sent[1]+sent[2] != len(want) {
		t.Fatalf("instances report %v events sent, want %d in all", sent, len(want))
	}
}
