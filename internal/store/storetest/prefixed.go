package storetest

import (
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func testPrefixed(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	a, b := store.Prefixed(s, "a:"), store.Prefixed(s, "b:")

	must(t, a.Set(ctx, "session", []byte("alice"), 0))
	must(t, a.HSet(ctx, "reads", "ann", []byte("1")))
	must(t, a.ZAdd(ctx, "feed", "ann", 1))
	_, err := a.Incr(ctx, "hits", 0)
	must(t, err)

	wantValue(t, a, "session", "alice")
	wantGone(t, b, "session")
	_, err = b.HGet(ctx, "reads", "ann")
	wantNotFound(t, "HGet across prefixes", err)
	if n, _ := b.ZCard(ctx, "feed"); n != 0 {
		t.Fatalf("sorted set of prefix a visible from b (%d members)", n)
	}
	if n, _ := b.Incr(ctx, "hits", 0); n != 1 {
		t.Fatalf("counter of prefix a visible from b (Incr = %d)", n)
	}
	// b cannot delete a's key, and the key really lives under a's prefix.
	must(t, b.Delete(ctx, "session"))
	wantValue(t, a, "session", "alice")
	wantValue(t, s, "a:session", "alice")
	// Prefixes nest.
	wantValue(t, store.Prefixed(store.Prefixed(s, "a"), ":"), "session", "alice")

	// A message on a's channel does not reach b's subscriber: b receives its
	// own later message first.
	chA, cancelA, err := a.Subscribe(ctx, "news")
	must(t, err)
	defer cancelA()
	chB, cancelB, err := b.Subscribe(ctx, "news")
	must(t, err)
	defer cancelB()
	must(t, a.Publish(ctx, "news", []byte("for a")))
	must(t, b.Publish(ctx, "news", []byte("for b")))
	if got := receive(t, chB); got != "for b" {
		t.Fatalf("b's subscriber received %q, want only b's message", got)
	}
	if got := receive(t, chA); got != "for a" {
		t.Fatalf("a's subscriber received %q", got)
	}
	// Closing a view leaves the store open.
	must(t, a.Close())
	must(t, s.Ping(ctx))
	wantValue(t, s, "a:session", "alice")
}

// testTenants: tenant IDs that look like prefixes of each other stay apart.
func testTenants(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	city, cityEvil := store.ForTenant(s, "city"), store.ForTenant(s, "city:evil")
	must(t, city.Set(ctx, "evil:secret", []byte("city's"), 0))
	must(t, cityEvil.Set(ctx, "secret", []byte("evil's"), 0))
	wantValue(t, city, "evil:secret", "city's")
	wantValue(t, cityEvil, "secret", "evil's")
	wantValue(t, s, "t:city:evil:secret", "city's")

	other := store.ForTenant(s, "town")
	wantGone(t, other, "evil:secret")
}
