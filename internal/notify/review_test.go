package notify

import (
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
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
