package notify

import (
	"context"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// The summary before publishing warns that a push waits for the end of the
// quiet hours, except a critical one; the stacked push bar adds up to its
// outcomes.
func TestReviewAndSegments(t *testing.T) {
	q := &config.QuietHours{Start: "18:00", End: "07:00"}
	now := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
	a := &announce.Announcement{Push: true, Severity: announce.SeverityInfo, PublishAt: now.Add(-time.Minute)}
	r := ReviewOf(a, announce.Estimate{}, []string{"a", "b"}, q, time.UTC, now)
	if r.Later || r.QuietCrit || !r.QuietUntil.Equal(time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)) || r.Known != "a, b" {
		t.Errorf("info push at 20:00: %+v; want it held until 07:00", r)
	}
	a.Severity = announce.SeverityCritical
	if r = ReviewOf(a, announce.Estimate{}, nil, q, time.UTC, now); !r.QuietCrit || !r.QuietUntil.IsZero() {
		t.Errorf("critical push at 20:00: %+v; want it sent despite quiet hours", r)
	}
	segs := Segments(map[string]int{"targets": 4, "delivered": 2, "failed": 1})
	if segs[0].W != 150 || segs[4].Key != "failed" || segs[4].X != 150 || segs[4].W != 75 {
		t.Errorf("segments = %+v", segs)
	}
}

// The page after saving says what happened: a draft, a time for a
// scheduled one (in the tenant's zone), the device count of a live push.
func TestSaved(t *testing.T) {
	bolt, err := store.NewBolt(t.TempDir()+"/p.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bolt.Close() })
	st := store.ForTenant(bolt, "t1")
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	repo := announce.NewService(bolt, nil, func() time.Time { return now }).Repo("t1")
	ctx := context.Background()
	a := &announce.Announcement{ID: "a1", Draft: true, PublishAt: now}
	if key, _ := Saved(ctx, repo, NewDevices(st), a, now, "de", time.UTC); key != "ann.saved.draft" {
		t.Errorf("draft: %s", key)
	}
	a.Draft, a.PublishAt = false, time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if key, args := Saved(ctx, repo, NewDevices(st), a, now, "de", berlin); key != "ann.saved.scheduled" || len(args) != 2 || args[1] != "00:30" {
		t.Errorf("scheduled: %s %v, want the Berlin time 00:30", key, args)
	}
	a.PublishAt, a.Push = now.Add(-time.Minute), true
	if key, args := Saved(ctx, repo, NewDevices(st), a, now, "en", time.UTC); key != "ann.saved.push" || len(args) != 1 || args[0] != "0" {
		t.Errorf("live push: %s %v, want the device count", key, args)
	}
}
