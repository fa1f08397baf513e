package storetest

import (
	"math"
	"reflect"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func testHash(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.HGet(ctx, "reads", "ann-1")
	wantNotFound(t, "HGet of an absent hash", err)
	if m, err := s.HGetAll(ctx, "reads"); err != nil || m == nil || len(m) != 0 {
		t.Fatalf("HGetAll of an absent hash = %#v, %v; want an empty map", m, err)
	}
	if n, err := s.HLen(ctx, "reads"); err != nil || n != 0 {
		t.Fatalf("HLen of an absent hash = %d, %v", n, err)
	}

	must(t, s.HSet(ctx, "reads", "ann-1", []byte("2026-11-23T10:00")))
	must(t, s.HSet(ctx, "reads", "ann-2", []byte("x")))
	must(t, s.HSet(ctx, "reads", "", []byte("empty field name")))
	must(t, s.HSet(ctx, "reads", "ann-2", []byte("2026-11-23T11:00")))
	_, err = s.HGet(ctx, "reads", "ann-3")
	wantNotFound(t, "HGet of an absent field", err)
	v, err := s.HGet(ctx, "reads", "ann-2")
	must(t, err)
	if string(v) != "2026-11-23T11:00" {
		t.Fatalf("HGet after overwrite = %q", v)
	}
	all, err := s.HGetAll(ctx, "reads")
	must(t, err)
	want := map[string][]byte{"ann-1": []byte("2026-11-23T10:00"), "ann-2": []byte("2026-11-23T11:00"), "": []byte("empty field name")}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("HGetAll = %q, want %q", all, want)
	}
	if n, err := s.HLen(ctx, "reads"); err != nil || n != 3 {
		t.Fatalf("HLen = %d, %v; want 3", n, err)
	}

	must(t, s.HDel(ctx, "reads", "ann-1", "never"))
	if n, _ := s.HLen(ctx, "reads"); n != 2 {
		t.Fatalf("HLen after HDel = %d, want 2", n)
	}
	must(t, s.HDel(ctx, "reads", "ann-2", ""))
	if m, err := s.HGetAll(ctx, "reads"); err != nil || len(m) != 0 {
		t.Fatalf("HGetAll after deleting every field = %q, %v", m, err)
	}
	must(t, s.HDel(ctx, "reads"))
}

// testZRanges checks ordering, ties, negative scores, bounds, offset, count
// and reverse against one set.
func testZRanges(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	scores := map[string]float64{
		"old": -1e9, "minus": -2.5, "minus-half": -0.5, "zero": 0,
		"b-tie": 5, "a-tie": 5, "c-tie": 5, "six": 6, "huge": 1e12,
	}
	for m, sc := range scores {
		must(t, s.ZAdd(ctx, "feed", m, sc))
	}
	inf := math.Inf(1)
	all := []string{"old", "minus", "minus-half", "zero", "a-tie", "b-tie", "c-tie", "six", "huge"}
	tests := []struct {
		name          string
		min, max      float64
		offset, count int
		reverse       bool
		want          []string
	}{
		{"all", -inf, inf, 0, 0, false, all},
		{"all reversed", -inf, inf, 0, 0, true, reverse(all)},
		{"negative range", -3, -0.5, 0, 0, false, []string{"minus", "minus-half"}},
		{"inclusive bounds", 0, 5, 0, 0, false, []string{"zero", "a-tie", "b-tie", "c-tie"}},
		{"ties only", 5, 5, 0, 0, false, []string{"a-tie", "b-tie", "c-tie"}},
		{"ties reversed", 5, 5, 0, 0, true, []string{"c-tie", "b-tie", "a-tie"}},
		{"first page", -inf, inf, 0, 3, false, []string{"old", "minus", "minus-half"}},
		{"second page", -inf, inf, 3, 3, false, []string{"zero", "a-tie", "b-tie"}},
		{"last page short", -inf, inf, 7, 3, false, []string{"six", "huge"}},
		{"offset past end", -inf, inf, 20, 3, false, []string{}},
		{"offset without count", 0, inf, 4, 0, false, []string{"six", "huge"}},
		{"newest two", -inf, inf, 0, 2, true, []string{"huge", "six"}},
		{"reverse page inside range", -1, 5.5, 1, 2, true, []string{"b-tie", "a-tie"}},
		{"empty range", 7, 8, 0, 0, false, []string{}},
		{"min above max", 5, 1, 0, 0, false, []string{}},
		{"below everything", -inf, -2e9, 0, 0, true, []string{}},
	}
	for _, tc := range tests {
		got, err := s.ZRangeByScore(ctx, "feed", tc.min, tc.max, tc.offset, tc.count, tc.reverse)
		must(t, err)
		if got == nil {
			got = []string{}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: ZRangeByScore(%v, %v, offset %d, count %d, reverse %v) = %q, want %q",
				tc.name, tc.min, tc.max, tc.offset, tc.count, tc.reverse, got, tc.want)
		}
	}
	if got, err := s.ZRangeByScore(ctx, "no-such-set", -inf, inf, 0, 0, false); err != nil || len(got) != 0 {
		t.Fatalf("ZRangeByScore of an absent set = %q, %v", got, err)
	}
}

func reverse(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[len(in)-1-i] = s
	}
	return out
}

func testZMembers(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.ZScore(ctx, "subs", "alice")
	wantNotFound(t, "ZScore of an absent set", err)
	if n, err := s.ZCard(ctx, "subs"); err != nil || n != 0 {
		t.Fatalf("ZCard of an absent set = %d, %v", n, err)
	}
	must(t, s.ZAdd(ctx, "subs", "alice", 10))
	must(t, s.ZAdd(ctx, "subs", "bob", 20))
	must(t, s.ZAdd(ctx, "subs", "carol", 30))
	// Updating a score moves the member; it is not added twice.
	must(t, s.ZAdd(ctx, "subs", "alice", 40.25))
	if sc, err := s.ZScore(ctx, "subs", "alice"); err != nil || sc != 40.25 {
		t.Fatalf("ZScore after update = %v, %v; want 40.25", sc, err)
	}
	_, err = s.ZScore(ctx, "subs", "dave")
	wantNotFound(t, "ZScore of an absent member", err)
	if n, err := s.ZCard(ctx, "subs"); err != nil || n != 3 {
		t.Fatalf("ZCard = %d, %v; want 3", n, err)
	}
	got, err := s.ZRangeByScore(ctx, "subs", 0, 100, 0, 0, false)
	must(t, err)
	if want := []string{"bob", "carol", "alice"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order after update = %q, want %q", got, want)
	}
	must(t, s.ZRem(ctx, "subs", "bob", "nobody"))
	if n, _ := s.ZCard(ctx, "subs"); n != 2 {
		t.Fatalf("ZCard after ZRem = %d, want 2", n)
	}
	if got, _ := s.ZRangeByScore(ctx, "subs", 0, 100, 0, 0, false); !reflect.DeepEqual(got, []string{"carol", "alice"}) {
		t.Fatalf("members after ZRem = %q", got)
	}
	must(t, s.ZRem(ctx, "subs", "carol", "alice"))
	if n, _ := s.ZCard(ctx, "subs"); n != 0 {
		t.Fatalf("ZCard after removing all = %d", n)
	}
	if err := s.ZAdd(ctx, "subs", "nan", math.NaN()); err == nil {
		t.Fatal("ZAdd with a NaN score: want an error")
	}
}

func testDeleteAnyKind(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.Set(ctx, "str", []byte("v"), 0))
	must(t, s.HSet(ctx, "hash", "f", []byte("v")))
	must(t, s.ZAdd(ctx, "zset", "m", 1))
	must(t, s.Delete(ctx, "str", "hash", "zset"))
	wantGone(t, s, "str")
	if n, _ := s.HLen(ctx, "hash"); n != 0 {
		t.Fatalf("hash survived Delete with %d fields", n)
	}
	if n, _ := s.ZCard(ctx, "zset"); n != 0 {
		t.Fatalf("sorted set survived Delete with %d members", n)
	}
}
