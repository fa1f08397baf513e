package storetest

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func testStrings(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.Ping(ctx))
	wantGone(t, s, "session")

	must(t, s.Set(ctx, "session", []byte("alice"), 0))
	wantValue(t, s, "session", "alice")
	must(t, s.Set(ctx, "session", []byte("bob"), 0))
	wantValue(t, s, "session", "bob")

	// Values are bytes, not text; the caller may reuse its buffer.
	bin := []byte{0, 1, 2, 255, 0, '\n'}
	must(t, s.Set(ctx, "binary", bin, 0))
	bin[0] = 9
	got, err := s.Get(ctx, "binary")
	must(t, err)
	if !bytes.Equal(got, []byte{0, 1, 2, 255, 0, '\n'}) {
		t.Fatalf("binary value came back as %v", got)
	}
	must(t, s.Set(ctx, "empty", nil, 0))
	if got, err := s.Get(ctx, "empty"); err != nil || len(got) != 0 {
		t.Fatalf("empty value: got %q, %v", got, err)
	}
	big := bytes.Repeat([]byte("0123456789"), 100_000)
	must(t, s.Set(ctx, "big", big, 0))
	if got, err := s.Get(ctx, "big"); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("1 MB value did not round-trip (len %d, err %v)", len(got), err)
	}

	must(t, s.Delete(ctx, "session", "binary", "never-set"))
	wantGone(t, s, "session")
	wantGone(t, s, "binary")
	wantValue(t, s, "empty", "")
	must(t, s.Delete(ctx))
}

func testSetNX(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	won, err := s.SetNX(ctx, "lease", []byte("worker-1"), 0)
	must(t, err)
	if !won {
		t.Fatal("SetNX on an absent key: want true")
	}
	won, err = s.SetNX(ctx, "lease", []byte("worker-2"), 0)
	must(t, err)
	if won {
		t.Fatal("SetNX on a present key: want false")
	}
	wantValue(t, s, "lease", "worker-1")
	must(t, s.Delete(ctx, "lease"))
	won, err = s.SetNX(ctx, "lease", []byte("worker-3"), 0)
	must(t, err)
	if !won {
		t.Fatal("SetNX after Delete: want true")
	}
}

func testSetNXRace(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	const n = 50
	var wg sync.WaitGroup
	winners := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := "worker-" + strconv.Itoa(i)
			won, err := s.SetNX(ctx, "digest-lease", []byte(me), ttl*10)
			if err != nil {
				errs <- err
				return
			}
			if won {
				winners <- me
			}
		}()
	}
	wg.Wait()
	close(winners)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var got []string
	for w := range winners {
		got = append(got, w)
	}
	if len(got) != 1 {
		t.Fatalf("%d goroutines won the lease (%v), want exactly 1", len(got), got)
	}
	wantValue(t, s, "digest-lease", got[0])
}

func testIncr(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	for want := int64(1); want <= 3; want++ {
		n, err := s.Incr(ctx, "hits", 0)
		must(t, err)
		if n != want {
			t.Fatalf("Incr = %d, want %d", n, want)
		}
	}
	wantValue(t, s, "hits", "3")

	must(t, s.Set(ctx, "not-a-number", []byte("abc"), 0))
	if _, err := s.Incr(ctx, "not-a-number", 0); err == nil || errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Incr of a non-integer: got %v, want a plain error", err)
	}

	// No increment is lost under concurrency.
	const n = 40
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Incr(context.WithoutCancel(ctx), "concurrent", ttl*10); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	wantValue(t, s, "concurrent", strconv.Itoa(n))
}
