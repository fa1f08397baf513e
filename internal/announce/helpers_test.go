package announce

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// redisStore opens a client of its own on the stack's Redis (one per
// simulated instance).
func redisStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), testenv.Server(t, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func boltStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// clock is a fake clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// events collects what is published on the tenant's channel.
type events struct {
	mu   sync.Mutex
	list []Event
}

func listen(t *testing.T, st store.Store, tenantID string) *events {
	t.Helper()
	ch, cancel, err := store.ForTenant(st, tenantID).Subscribe(t.Context(), Channel)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	e := &events{}
	go func() {
		for raw := range ch {
			ev, err := ParseEvent(raw)
			if err == nil {
				e.mu.Lock()
				e.list = append(e.list, ev)
				e.mu.Unlock()
			}
		}
	}()
	return e
}

// settle waits until no event arrived for a while, then returns them all.
// Pub/sub delivery is asynchronous; the count is what the test checks.
func (e *events) settle() []Event {
	last := -1
	for {
		time.Sleep(150 * time.Millisecond)
		e.mu.Lock()
		n := len(e.list)
		e.mu.Unlock()
		if n == last {
			e.mu.Lock()
			defer e.mu.Unlock()
			return append([]Event(nil), e.list...)
		}
		last = n
	}
}

func mustSave(t *testing.T, r *Repo, a *Announcement) {
	t.Helper()
	if err := r.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func ids(list []*Announcement) []string {
	out := []string{}
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}
