// Package storetest is the behaviour both store backends must share. Run it
// from a backend's tests with a function that returns a fresh, empty Store
// (on Redis: a Store under a unique random prefix; never flush a shared
// server).
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// ttl is short but well above Redis' expiry granularity; wait is how long the
// tests sleep for it to pass.
const (
	ttl  = 1200 * time.Millisecond
	wait = 1600 * time.Millisecond
)

// Run runs the whole suite; newStore is called once per subtest and must
// arrange (with t.Cleanup) for the store it returns to be closed.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Strings", testStrings},
		{"Expiry", testExpiry},
		{"SetNX", testSetNX},
		{"SetNXRace", testSetNXRace},
		{"Incr", testIncr},
		{"IncrTTL", testIncrTTL},
		{"Hash", testHash},
		{"SortedSetRanges", testZRanges},
		{"SortedSetMembers", testZMembers},
		{"DeleteAnyKind", testDeleteAnyKind},
		{"PubSub", testPubSub},
		{"SubscribeCancel", testSubscribeCancel},
		{"PrefixedIsolation", testPrefixed},
		{"TenantIsolation", testTenants},
		{"Keys", testKeys},
		{"HashMany", testHashMany},
		{"HScan", testHScan},
		{"Linked", testLinked},
		{"LinkedConcurrent", testLinkedConcurrent},
		{"Queue", testQueue},
		{"QueueExtend", testQueueExtend},
		{"QueueDelayed", testQueueDelayed},
		{"QueueRace", testQueueRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("%s: got error %v, want store.ErrNotFound", what, err)
	}
}

func wantValue(t *testing.T, s store.Store, key, want string) {
	t.Helper()
	got, err := s.Get(ctxFor(t), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if string(got) != want {
		t.Fatalf("Get(%q) = %q, want %q", key, got, want)
	}
}

func wantGone(t *testing.T, s store.Store, key string) {
	t.Helper()
	_, err := s.Get(ctxFor(t), key)
	wantNotFound(t, "Get("+key+")", err)
}
