package ratelimit_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/ratelimit"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// A fixed window admits Max events, refuses the next with the time left in
// the window, and starts again in the next window.
func TestAllowCountsPerWindow(t *testing.T) {
	st, err := store.NewBolt(t.TempDir()+"/rl.db", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx := context.Background()
	l := ratelimit.Limit{Name: "test", Max: 3, Window: time.Minute}
	now := time.Date(2026, 11, 23, 12, 0, 15, 0, time.UTC)
	for i := int64(1); i <= 3; i++ {
		r, err := ratelimit.Allow(ctx, st, l, "10.0.0.1", now)
		if err != nil || !r.Allowed || r.Remaining != 3-i {
			t.Fatalf("event %d: %+v, %v", i, r, err)
		}
	}
	r, err := ratelimit.Allow(ctx, st, l, "10.0.0.1", now)
	if err != nil || r.Allowed || r.RetryAfter != 45*time.Second {
		t.Fatalf("4th event: %+v, %v; want refused with 45s to wait", r, err)
	}
	if r, _ := ratelimit.Allow(ctx, st, l, "10.0.0.2", now); !r.Allowed {
		t.Error("another key shares the count")
	}
	if r, _ := ratelimit.Allow(ctx, st, l, "10.0.0.1", now.Add(time.Minute)); !r.Allowed {
		t.Error("the next window still refuses")
	}
}
