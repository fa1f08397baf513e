package storetest

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// testLinked: GetLinked reads a value and the key its first line names in
// the reader's own namespace (never another tenant's), only while the
// guard exists.
func testLinked(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	// As the app uses it: tenants over the instrumented store.
	a := store.ForTenant(store.Instrument(s, nil), "a")
	b := store.ForTenant(store.Instrument(s, nil), "b")
	must(t, a.Set(ctx, "sess:1", []byte("session"), 0))
	must(t, a.Set(ctx, "usr:1", []byte("dash:alice\nsealed user"), 0))
	must(t, a.Set(ctx, "dash:alice", []byte("alice's snapshot"), 0))
	must(t, b.Set(ctx, "dash:alice", []byte("tenant b's alice"), 0))
	must(t, s.Set(ctx, "dash:alice", []byte("unprefixed"), 0))

	get := func(st store.Store, guard, key string) (string, string, error) {
		t.Helper()
		v, l, err := store.GetLinked(ctx, st, guard, key)
		if l == nil {
			return string(v), "<nil>", err
		}
		return string(v), string(l), err
	}
	v, l, err := get(a, "sess:1", "usr:1")
	must(t, err)
	if v != "dash:alice\nsealed user" || l != "alice's snapshot" {
		t.Fatalf("GetLinked = %q, %q; want the record and tenant a's snapshot", v, l)
	}
	_, _, err = get(b, "sess:1", "usr:1")
	wantNotFound(t, "GetLinked of another tenant's record", err)

	// No link, or a link to nothing: the value alone.
	must(t, a.Set(ctx, "usr:2", []byte("no link line"), 0))
	if v, l, err = get(a, "sess:1", "usr:2"); err != nil || v != "no link line" || l != "<nil>" {
		t.Fatalf("GetLinked without a link = %q, %q, %v", v, l, err)
	}
	must(t, a.Delete(ctx, "dash:alice"))
	if v, l, err = get(a, "sess:1", "usr:1"); err != nil || v != "dash:alice\nsealed user" || l != "<nil>" {
		t.Fatalf("GetLinked with the linked key gone = %q, %q, %v", v, l, err)
	}
	// The guard gone (the session ended): nothing, though the record lingers.
	must(t, a.Delete(ctx, "sess:1"))
	_, _, err = get(a, "sess:1", "usr:1")
	wantNotFound(t, "GetLinked without its guard", err)
	_, _, err = get(a, "sess:9", "usr:9")
	wantNotFound(t, "GetLinked of nothing", err)
}

// testLinkedConcurrent: calls made at once (Redis sends them in shared
// round trips) each get their own answer.
func testLinkedConcurrent(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	const n = 64
	for i := range n {
		id := strconv.Itoa(i)
		must(t, s.Set(ctx, "sess:"+id, []byte("session"), 0))
		must(t, s.Set(ctx, "usr:"+id, []byte("dash:"+id+"\nuser "+id), 0))
		must(t, s.Set(ctx, "dash:"+id, []byte("snapshot "+id), 0))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := strconv.Itoa(i)
			v, l, err := store.GetLinked(ctx, s, "sess:"+id, "usr:"+id)
			if err == nil && (string(v) != "dash:"+id+"\nuser "+id || string(l) != "snapshot "+id) {
				err = fmt.Errorf("call %d got %q, %q", i, v, l)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
}
