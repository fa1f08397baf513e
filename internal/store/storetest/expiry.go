package storetest

import (
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// testExpiry sets up every kind of expiring key, waits once, and checks them.
func testExpiry(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.Set(ctx, "short", []byte("v"), ttl))
	must(t, s.Set(ctx, "made-permanent", []byte("v"), ttl))
	must(t, s.Set(ctx, "made-permanent", []byte("v2"), 0))
	must(t, s.Set(ctx, "expire-later", []byte("v"), 0))
	must(t, s.Expire(ctx, "expire-later", ttl))
	must(t, s.Set(ctx, "persisted", []byte("v"), ttl))
	must(t, s.Expire(ctx, "persisted", 0))
	must(t, s.Set(ctx, "forever", []byte("v"), 0))
	won, err := s.SetNX(ctx, "lease", []byte("first"), ttl)
	must(t, err)
	if !won {
		t.Fatal("SetNX on an absent key: want true")
	}
	must(t, s.HSet(ctx, "cache", "mail", []byte("3 unread")))
	must(t, s.Expire(ctx, "cache", ttl))
	must(t, s.ZAdd(ctx, "recent", "a", 1))
	must(t, s.Expire(ctx, "recent", ttl))
	wantNotFound(t, "Expire of an absent key", s.Expire(ctx, "never-set", ttl))

	// Before the deadline everything is there.
	wantValue(t, s, "short", "v")
	wantValue(t, s, "expire-later", "v")
	if n, err := s.HLen(ctx, "cache"); err != nil || n != 1 {
		t.Fatalf("HLen before expiry = %d, %v; want 1", n, err)
	}

	time.Sleep(wait)

	wantGone(t, s, "short")
	wantGone(t, s, "expire-later")
	wantGone(t, s, "lease")
	wantValue(t, s, "made-permanent", "v2")
	wantValue(t, s, "persisted", "v")
	wantValue(t, s, "forever", "v")
	_, err = s.HGet(ctx, "cache", "mail")
	wantNotFound(t, "HGet of an expired hash", err)
	if m, err := s.HGetAll(ctx, "cache"); err != nil || len(m) != 0 {
		t.Fatalf("HGetAll of an expired hash = %v, %v; want empty", m, err)
	}
	if n, err := s.ZCard(ctx, "recent"); err != nil || n != 0 {
		t.Fatalf("ZCard of an expired sorted set = %d, %v; want 0", n, err)
	}
	wantNotFound(t, "Expire of an expired key", s.Expire(ctx, "short", ttl))

	// An expired lease can be taken again; a new hash starts empty.
	won, err = s.SetNX(ctx, "lease", []byte("second"), 0)
	must(t, err)
	if !won {
		t.Fatal("SetNX after the lease expired: want true")
	}
	must(t, s.HSet(ctx, "cache", "files", []byte("x")))
	if m, err := s.HGetAll(ctx, "cache"); err != nil || len(m) != 1 {
		t.Fatalf("hash recreated after expiry = %v, %v; want only the new field", m, err)
	}
}

// testIncrTTL: a rate-limit window starts with the first hit and later hits
// do not extend it.
func testIncrTTL(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	n, err := s.Incr(ctx, "rate:alice", ttl)
	must(t, err)
	if n != 1 {
		t.Fatalf("first Incr = %d, want 1", n)
	}
	time.Sleep(ttl / 2)
	n, err = s.Incr(ctx, "rate:alice", ttl)
	must(t, err)
	if n != 2 {
		t.Fatalf("second Incr = %d, want 2", n)
	}
	time.Sleep(wait - ttl/2)
	// The window opened by the first hit has closed: counting starts again.
	n, err = s.Incr(ctx, "rate:alice", ttl)
	must(t, err)
	if n != 1 {
		t.Fatalf("Incr after the window = %d, want 1 (the second Incr must not extend the TTL)", n)
	}
}
