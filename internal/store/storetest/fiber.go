package storetest

import (
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func testFiber(t *testing.T, s store.Store) {
	fs := store.NewFiberStorage(store.Prefixed(s, "sess:"))
	v, err := fs.Get("missing")
	if v != nil || err != nil {
		t.Fatalf("Get of a missing key = %q, %v; want nil, nil", v, err)
	}
	must(t, fs.Set("sid-1", []byte("alice"), 0))
	must(t, fs.Set("sid-2", []byte("bob"), time.Hour))
	must(t, fs.Set("sid-short", []byte("carol"), ttl))
	must(t, fs.Set("", []byte("ignored"), 0))
	must(t, fs.Set("empty", nil, 0))
	if v, _ := fs.Get("empty"); v != nil {
		t.Fatalf("an empty value was stored: %q", v)
	}
	if v, err := fs.Get("sid-1"); err != nil || string(v) != "alice" {
		t.Fatalf("Get(sid-1) = %q, %v", v, err)
	}
	wantValue(t, s, "sess:sid-2", "bob")

	must(t, fs.Delete("sid-1"))
	must(t, fs.Delete("never-set"))
	if v, _ := fs.Get("sid-1"); v != nil {
		t.Fatalf("deleted session still readable: %q", v)
	}

	// Reset logs everybody out, but touches nothing outside its namespace.
	must(t, s.Set(ctxFor(t), "other", []byte("keep"), 0))
	must(t, fs.Reset())
	if v, _ := fs.Get("sid-2"); v != nil {
		t.Fatalf("session survived Reset: %q", v)
	}
	wantValue(t, s, "other", "keep")
	must(t, fs.Set("sid-3", []byte("dave"), ttl))
	time.Sleep(wait)
	if v, _ := fs.Get("sid-3"); v != nil {
		t.Fatalf("expired session still readable: %q", v)
	}
	must(t, fs.Close())
	must(t, s.Ping(ctxFor(t)))
}
