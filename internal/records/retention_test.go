package records_test

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func boltStore(t *testing.T) store.Store {
	t.Helper()
	b, err := store.NewBolt(filepath.Join(t.TempDir(), "p.db"), nil)
	must(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

const day = 24 * time.Hour

var limits = records.Limits{Receipts: 400 * day, Announcements: 400 * day, Audit: 1095 * day, DevicesIdle: 90 * day, UsersIdle: 400 * day}

// TestSweepDeletesExactlyWhatIsOlder: with a fake clock, records one second
// past their limit go, records exactly at it or younger stay, and a live
// announcement stays however old.
func TestSweepDeletesExactlyWhatIsOlder(t *testing.T) {
	ts := store.ForTenant(boltStore(t), "city")
	ctx := t.Context()
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	past := func(d time.Duration) time.Time { return now.Add(-d) }
	ptr := func(t time.Time) *time.Time { return &t }
	repo := announce.NewRepo(ts)
	save := func(id string, withdrawn, expires *time.Time) {
		must(t, repo.Save(ctx, &announce.Announcement{ID: id, Title: id, Severity: "info", PublishAt: past(1000 * day), WithdrawnAt: withdrawn, ExpiresAt: expires}))
		must(t, repo.MarkRead(ctx, id, "carol", past(10*day)))
		must(t, notify.RecordSeen(ctx, ts, id, "shown", "carol", past(10*day)))
		must(t, ts.Set(ctx, "ann:published:"+id+":1", []byte("1"), 0))
	}
	save("withdrawn-old", ptr(past(400*day+time.Second)), nil)
	save("withdrawn-at-limit", ptr(past(400*day)), nil)
	save("expired-old", nil, ptr(past(401*day)))
	save("expired-young", nil, ptr(past(399*day)))
	save("live-ancient", nil, nil)
	must(t, repo.MarkRead(ctx, "live-ancient", "alice", past(400*day+time.Second)))
	must(t, repo.Acknowledge(ctx, "live-ancient", "bob", past(400*day)))
	for _, at := range []time.Time{past(1095*day + time.Millisecond), past(1095 * day), past(day)} {
		must(t, repo.Audit(ctx, announce.AuditEntry{At: at, Action: "create", ID: "x", Title: at.String()}))
	}
	devs := notify.NewDevices(ts)
	for sub, seen := range map[string]time.Time{"alice": past(90*day + time.Second), "bob": past(90 * day)} {
		_, err := devs.Save(ctx, sub, push.Subscription{Endpoint: "https://push.example/" + sub, Keys: push.Keys{P256dh: "p", Auth: "a"}}, seen)
		must(t, err)
	}
	must(t, repo.SeeUser(ctx, "alice", "Alice", nil, past(401*day)))
	must(t, repo.SeeUser(ctx, "bob", "Bob", nil, past(400*day)))

	swept, err := records.Sweep(ctx, ts, limits, now)
	must(t, err)
	// alice's read of live-ancient (1), not bob's read or ack at the limit.
	if want := (records.Swept{Announcements: 2, Receipts: 1, Audit: 1, Devices: 1, Users: 1}); swept != want {
		t.Errorf("swept %+v, want %+v", swept, want)
	}
	all, err := repo.All(ctx)
	must(t, err)
	var ids []string
	for _, a := range all {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	if want := []string{"expired-young", "live-ancient", "withdrawn-at-limit"}; !slices.Equal(ids, want) {
		t.Errorf("announcements left %v, want %v", ids, want)
	}
	keys, err := ts.Keys(ctx, "")
	must(t, err)
	for _, k := range keys {
		for _, gone := range []string{"withdrawn-old", "expired-old"} {
			if k == "ann:"+gone || k == "ann:read:"+gone || k == "push:shown:"+gone || k == "ann:published:"+gone+":1" {
				t.Errorf("%s outlived its announcement", k)
			}
		}
	}
	for _, set := range []string{"ann:index", "ann:due"} {
		if _, err := ts.ZScore(ctx, set, "withdrawn-old"); err == nil {
			t.Errorf("%s still lists a deleted announcement", set)
		}
	}
	reads, _ := repo.Reads(ctx, "live-ancient")
	if _, ok := reads["alice"]; ok || reads["bob"].IsZero() {
		t.Errorf("reads of live-ancient = %v, want bob's only", reads)
	}
	if at, _ := repo.AckedAt(ctx, "live-ancient", "bob"); at.IsZero() {
		t.Error("bob's acknowledgement at the limit was deleted")
	}
	if n, _ := ts.ZCard(ctx, "ann:audit"); n != 2 {
		t.Errorf("audit entries left = %d, want 2", n)
	}
	if users, _ := devs.Users(ctx); !slices.Equal(users, []string{"bob"}) {
		t.Errorf("users with devices = %v, want [bob]", users)
	}
	if known, _ := repo.Users(ctx); len(known) != 1 || known[0].Subject != "bob" {
		t.Errorf("known users = %+v, want bob", known)
	}
	again, err := records.Sweep(ctx, ts, limits, now)
	must(t, err)
	if again != (records.Swept{}) {
		t.Errorf("a second sweep deleted %+v", again)
	}
}

// TestSweeperOnceAcrossInstances: instances sweeping at the same time take
// one lease per period; exactly one runs, and the next period runs again.
func TestSweeperOnceAcrossInstances(t *testing.T) {
	st := boltStore(t)
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var wg sync.WaitGroup
	ran := make(chan bool, 4)
	for range 4 {
		s := &records.Sweeper{Store: st, Tenants: map[string]records.Limits{"city": limits}, Now: clock, Every: time.Hour}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.RunOnce(t.Context())
			if err != nil {
				t.Error(err)
			}
			ran <- ok
		}()
	}
	wg.Wait()
	close(ran)
	n := 0
	for ok := range ran {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d instances swept the same period, want 1", n)
	}
	mu.Lock()
	now = now.Add(time.Hour)
	mu.Unlock()
	s := &records.Sweeper{Store: st, Tenants: map[string]records.Limits{"city": limits}, Now: clock, Every: time.Hour}
	if ok, err := s.RunOnce(t.Context()); err != nil || !ok {
		t.Errorf("next period: ran=%v err=%v, want a sweep", ok, err)
	}
}
