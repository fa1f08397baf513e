package storetest

import (
	"reflect"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// testKeys: Keys lists live keys of every kind under a prefix, sorted,
// matching the prefix literally (glob characters included) and skipping
// expired keys.
func testKeys(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	if k, err := s.Keys(ctx, ""); err != nil || len(k) != 0 {
		t.Fatalf("Keys of an empty store = %q, %v", k, err)
	}
	must(t, s.Set(ctx, "ann:b", []byte("x"), 0))
	must(t, s.HSet(ctx, "ann:read:b", "alice", []byte("t")))
	must(t, s.ZAdd(ctx, "ann:index", "b", 1))
	must(t, s.Set(ctx, "ann*:star", []byte("x"), 0))
	must(t, s.Set(ctx, "sess:1", []byte("x"), 0))
	must(t, s.Set(ctx, "ann:gone", []byte("x"), ttl))

	want := []string{"ann*:star", "ann:b", "ann:gone", "ann:index", "ann:read:b"}
	if k, err := s.Keys(ctx, "ann"); err != nil || !reflect.DeepEqual(k, want) {
		t.Fatalf("Keys(ann) = %q, %v; want %q", k, err, want)
	}
	if k, err := s.Keys(ctx, "ann*"); err != nil || !reflect.DeepEqual(k, []string{"ann*:star"}) {
		t.Fatalf("Keys(ann*) = %q, %v; want the literal match only", k, err)
	}
	time.Sleep(wait)
	want = []string{"ann*:star", "ann:b", "ann:index", "ann:read:b", "sess:1"}
	if k, err := s.Keys(ctx, ""); err != nil || !reflect.DeepEqual(k, want) {
		t.Fatalf("Keys after expiry = %q, %v; want %q", k, err, want)
	}
	must(t, s.HDel(ctx, "ann:read:b", "alice"))
	if k, err := s.Keys(ctx, "ann:r"); err != nil || len(k) != 0 {
		t.Fatalf("Keys after the last field went = %q, %v", k, err)
	}
}
