package storetest

import (
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// testQueue: every item is leased to one consumer at a time, comes back
// after its lease runs out (a crashed consumer), and is gone once acked.
func testQueue(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.QueueAdd(ctx, "q", time.Time{}, []byte("a"), []byte("b"), []byte("c")))
	first, err := s.QueueLease(ctx, "q", "one", ttl, 2)
	must(t, err)
	if len(first) != 2 || first[0].Retaken || first[1].Retaken {
		t.Fatalf("first lease = %+v, want 2 fresh items", first)
	}
	rest, err := s.QueueLease(ctx, "q", "two", ttl, 10)
	must(t, err)
	if len(rest) != 1 || string(rest[0].Data) != "c" {
		t.Fatalf("second consumer got %+v, want only the unleased item c", rest)
	}
	must(t, s.QueueAck(ctx, "q", first[0].ID, rest[0].ID))
	if again, err := s.QueueLease(ctx, "q", "two", ttl, 10); err != nil || len(again) != 0 {
		t.Fatalf("lease while all are held = %+v, %v; want nothing", again, err)
	}
	time.Sleep(wait) // consumer "one" crashed holding its second item
	taken, err := s.QueueLease(ctx, "q", "two", ttl, 10)
	must(t, err)
	if len(taken) != 1 || taken[0].ID != first[1].ID || !taken[0].Retaken || string(taken[0].Data) != string(first[1].Data) {
		t.Fatalf("after the lease ran out got %+v, want %s retaken", taken, first[1].Data)
	}
	must(t, s.QueueAck(ctx, "q", taken[0].ID))
	time.Sleep(wait)
	if left, err := s.QueueLease(ctx, "q", "three", ttl, 10); err != nil || len(left) != 0 {
		t.Fatalf("acknowledged items came back: %+v, %v", left, err)
	}
}

// testQueueExtend: a consumer that renews its lease keeps the item; one
// whose item was taken over cannot take it back by renewing.
func testQueueExtend(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.QueueAdd(ctx, "q", time.Time{}, []byte("x")))
	got, err := s.QueueLease(ctx, "q", "one", ttl, 1)
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("lease = %+v", got)
	}
	for range 3 {
		time.Sleep(ttl / 2)
		must(t, s.QueueExtend(ctx, "q", "one", ttl, got[0].ID))
	}
	if other, err := s.QueueLease(ctx, "q", "two", ttl, 1); err != nil || len(other) != 0 {
		t.Fatalf("a renewed lease was taken over: %+v, %v", other, err)
	}
	time.Sleep(wait)
	other, err := s.QueueLease(ctx, "q", "two", ttl, 1)
	must(t, err)
	if len(other) != 1 {
		t.Fatal("an expired lease was not taken over")
	}
	// "one" comes back (a paused, not a dead, process) and keeps renewing
	// while "two" dies: the renewals must not keep the item from a third.
	for range 3 {
		must(t, s.QueueExtend(ctx, "q", "one", ttl, got[0].ID))
		time.Sleep(ttl / 2)
	}
	third, err := s.QueueLease(ctx, "q", "three", ttl, 1)
	must(t, err)
	if len(third) != 1 || !third[0].Retaken {
		t.Fatalf("a stale consumer's renewals kept a taken-over item from being retaken: %+v", third)
	}
}

// testQueueDelayed: an item added for later is not leased before then.
func testQueueDelayed(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.QueueAdd(ctx, "q", time.Now().Add(ttl), []byte("later")))
	must(t, s.QueueAdd(ctx, "q", time.Time{}, []byte("now")))
	got, err := s.QueueLease(ctx, "q", "c", time.Minute, 10)
	must(t, err)
	if len(got) != 1 || string(got[0].Data) != "now" {
		t.Fatalf("before the time: %+v, want only \"now\"", got)
	}
	time.Sleep(wait)
	got, err = s.QueueLease(ctx, "q", "c", time.Minute, 10)
	must(t, err)
	if len(got) != 1 || string(got[0].Data) != "later" || got[0].Retaken {
		t.Fatalf("after the time: %+v, want \"later\"", got)
	}
}

// testQueueRace: many consumers at once never lease one item twice.
func testQueueRace(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	const n = 200
	items := make([][]byte, n)
	for i := range items {
		items[i] = []byte{byte(i >> 8), byte(i)}
	}
	must(t, s.QueueAdd(ctx, "q", time.Time{}, items...))
	var mu sync.Mutex
	var seen []string
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.QueueLease(ctx, "q", "consumer-"+strconv.Itoa(c), time.Minute, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					seen = append(seen, string(it.Data))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(seen)
	if len(seen) != n {
		t.Fatalf("leased %d items, want %d", len(seen), n)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] == seen[i-1] {
			t.Fatalf("item %x leased twice", seen[i])
		}
	}
}

// testHashMany: one call reads several hashes, in the order asked, with
// an empty map for an absent one.
func testHashMany(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.HSet(ctx, "dev:anna", "phone", []byte("p")))
	must(t, s.HSet(ctx, "dev:anna", "laptop", []byte("l")))
	must(t, s.HSet(ctx, "dev:carla", "tablet", []byte("t")))
	got, err := s.HGetAllMany(ctx, "dev:carla", "dev:nobody", "dev:anna")
	must(t, err)
	if len(got) != 3 || len(got[0]) != 1 || string(got[0]["tablet"]) != "t" || got[1] == nil || len(got[1]) != 0 ||
		len(got[2]) != 2 || string(got[2]["phone"]) != "p" || string(got[2]["laptop"]) != "l" {
		t.Fatalf("HGetAllMany = %q", got)
	}
}
