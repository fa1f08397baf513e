package fiberstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// ttl is short but well above Redis' expiry granularity; wait is how long
// the test sleeps for it to pass.
const (
	ttl  = 1200 * time.Millisecond
	wait = 1600 * time.Millisecond
)

// Sessions behave the same on both backends.
func TestStorageOnBolt(t *testing.T) {
	t.Parallel()
	b, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	must(t, err)
	t.Cleanup(func() { _ = b.Close() })
	testFiber(t, b)
}

func TestStorageOnRedis(t *testing.T) {
	t.Parallel()
	opts, err := store.ParseRedisURL(testenv.Server(t, "PFORTE_TEST_REDIS_URL"))
	must(t, err)
	r := store.NewRedis(opts, nil)
	t.Cleanup(func() { _ = r.Close() })
	prefix := make([]byte, 8)
	_, _ = rand.Read(prefix)
	testFiber(t, store.Prefixed(r, "test:"+hex.EncodeToString(prefix)+":")) // never flush a shared server
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantValue(t *testing.T, s store.Store, key, want string) {
	t.Helper()
	got, err := s.Get(context.Background(), key)
	if err != nil || string(got) != want {
		t.Fatalf("Get(%q) = %q, %v; want %q", key, got, err, want)
	}
}

func testFiber(t *testing.T, s store.Store) {
	fs := New(store.Prefixed(s, "sess:"))
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
	must(t, s.Set(context.Background(), "other", []byte("keep"), 0))
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
	must(t, s.Ping(context.Background()))
}
