package storetest

import (
	"errors"
	"fmt"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// testHScan checks that a paged read of a hash several pages long (a
// tenant's user list) passes every field exactly once with its value: a
// field lost here is a person a phishing warning never reaches.
func testHScan(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	calls := 0
	must(t, s.HScan(ctx, "users", func(string, []byte) error { calls++; return nil }))
	if calls != 0 {
		t.Fatalf("HScan of an absent hash called fn %d times", calls)
	}

	ts := store.Prefixed(s, "t1:")
	const n = 5*store.HScanPage/2 + 1
	for i := range n {
		must(t, ts.HSet(ctx, "users", fmt.Sprintf("user-%05d", i), []byte(fmt.Sprintf("v%d", i))))
	}
	must(t, s.HSet(ctx, "users", "other-tenant", []byte("x")))
	got := map[string]int{}
	must(t, ts.HScan(ctx, "users", func(f string, v []byte) error {
		got[f]++
		var i int
		if _, err := fmt.Sscanf(f, "user-%05d", &i); err != nil || string(v) != fmt.Sprintf("v%d", i) {
			t.Errorf("HScan passed %q = %q", f, v)
		}
		return nil
	}))
	if len(got) != n {
		t.Fatalf("HScan passed %d distinct fields, want %d", len(got), n)
	}
	for f, c := range got {
		if c != 1 {
			t.Fatalf("HScan passed %q %d times, want once", f, c)
		}
	}

	stop := errors.New("stop")
	calls = 0
	err := ts.HScan(ctx, "users", func(string, []byte) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("HScan with fn failing = %v after %d calls; want fn's error after 1", err, calls)
	}
	must(t, s.Set(ctx, "plain", []byte("x"), 0))
	if err := s.HScan(ctx, "plain", func(string, []byte) error { return nil }); err == nil {
		t.Fatal("HScan of a string key succeeded; want a wrong-type error")
	}
}
