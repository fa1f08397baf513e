package notify

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Run delivers the outbox of every tenant until ctx ends, and returns when
// the work in hand has stopped. Pub/sub is only a wake-up: the outbox is
// also polled, so a lost message delays a push by Poll, never loses it.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	sig := newSignal()
	for _, t := range d.Tenants {
		msgs, cancel, err := store.ForTenant(d.Store, t.ID).Subscribe(ctx, announce.Channel)
		if err != nil {
			d.Logger.Warn("push: no wake-up signal; polling only", "tenant", t.ID, "err", err)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer cancel()
			for range msgs {
				sig.wake()
			}
		}()
	}
	parallel := d.Parallel
	if parallel <= 0 {
		parallel = 4
	}
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.loop(ctx, sig)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.releaseHeldBack(ctx, sig)
	}()
	wg.Wait()
}

// loop leases and delivers outbox items while there are any, then waits for
// a wake-up or the next poll.
func (d *Dispatcher) loop(ctx context.Context, sig *signal) {
	poll := d.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	for ctx.Err() == nil {
		wait := sig.wait()
		busy := false
		for _, t := range d.Tenants {
			ok, _, err := d.work(ctx, t)
			if err != nil && ctx.Err() == nil {
				d.Logger.Warn("push: outbox", "tenant", t.ID, "err", err)
			}
			busy = busy || ok
		}
		if busy {
			continue
		}
		timer := time.NewTimer(poll)
		select {
		case <-ctx.Done():
		case <-wait:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// Drain delivers tenant t's outbox items that are ready now, in this
// instance, and returns what happened.
func (d *Dispatcher) Drain(ctx context.Context, t TenantPush) (Stats, error) {
	var all Stats
	for {
		ok, s, err := d.work(ctx, t)
		all.add(s)
		if err != nil || !ok {
			return all, err
		}
	}
}

// work leases one item of t's outbox, handles it under a heartbeat and
// acknowledges it. It reports whether there was an item.
func (d *Dispatcher) work(ctx context.Context, t TenantPush) (bool, Stats, error) {
	st := store.ForTenant(d.Store, t.ID)
	lease := d.lease()
	items, err := st.QueueLease(ctx, outboxQueue, d.consumerID(), lease, 1)
	if err != nil || len(items) == 0 {
		return false, Stats{}, err
	}
	it := items[0]
	hb, stop := context.WithCancel(ctx)
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		tick := time.NewTicker(lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-hb.Done():
				return
			case <-tick.C:
				_ = st.QueueExtend(hb, outboxQueue, d.consumerID(), lease, it.ID)
			}
		}
	}()
	stats, err := d.handle(ctx, t, st, it)
	stop()
	<-beat
	if err != nil && (ctx.Err() != nil || errors.Is(err, store.ErrUnavailable)) {
		return true, stats, err // not acknowledged: retaken when the lease runs out
	}
	if ackErr := st.QueueAck(context.WithoutCancel(ctx), outboxQueue, it.ID); ackErr != nil {
		return true, stats, ackErr
	}
	return true, stats, err
}

// handle plans an announcement event or delivers a chunk.
func (d *Dispatcher) handle(ctx context.Context, t TenantPush, st store.Store, it store.QueueItem) (Stats, error) {
	item, err := decodeItem(it.Data)
	if err != nil {
		d.Logger.Error("push: unreadable outbox item dropped", "tenant", t.ID, "err", err)
		return Stats{}, nil
	}
	if item.Chunk != nil {
		return d.deliverChunk(ctx, t, st, item.Chunk)
	}
	if !item.Push || (item.Type != announce.EventPublished && item.Type != announce.EventUpdated) {
		return Stats{}, nil
	}
	return d.plan(ctx, t, item.ID, it.Retaken)
}

// releaseHeldBack puts held-back pushes into the outbox when quiet hours end.
func (d *Dispatcher) releaseHeldBack(ctx context.Context, sig *signal) {
	tick := d.Tick
	if tick <= 0 {
		tick = 30 * time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if d.release(ctx) > 0 {
				sig.wake()
			}
		}
	}
}

// ReleaseDue puts every held-back push whose quiet hours are over into the
// outbox and delivers what is ready.
func (d *Dispatcher) ReleaseDue(ctx context.Context) {
	if d.release(ctx) == 0 {
		return
	}
	for _, t := range d.Tenants {
		if _, err := d.Drain(ctx, t); err != nil {
			d.Logger.Warn("push: send held-back announcements", "tenant", t.ID, "err", err)
		}
	}
}

// release moves due held-back announcements into the outbox (as the event
// that was held) and reports how many.
func (d *Dispatcher) release(ctx context.Context) int {
	now := d.now()
	n := 0
	for _, t := range d.Tenants {
		st := store.ForTenant(d.Store, t.ID)
		ids, err := st.ZRangeByScore(ctx, delayedKey, 0, float64(now.Unix()), 0, 0, false)
		if err != nil {
			continue
		}
		for _, id := range ids {
			raw, _ := json.Marshal(outboxItem{Type: announce.EventPublished, ID: id, Push: true})
			if err := st.QueueAdd(ctx, outboxQueue, time.Time{}, raw); err != nil {
				d.Logger.Warn("push: release held-back announcement", "tenant", t.ID, "id", id, "err", err)
				continue
			}
			_ = st.ZRem(ctx, delayedKey, id)
			n++
		}
	}
	return n
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) lease() time.Duration {
	if d.Lease > 0 {
		return d.Lease
	}
	return 15 * time.Second
}

// consumerID names this instance in the outbox's leases.
func (d *Dispatcher) consumerID() string {
	d.initOnce.Do(func() { d.consumer = store.NewInstanceID() })
	return d.consumer
}

// signal wakes every waiting loop at once.
type signal struct {
	mu sync.Mutex
	ch chan struct{}
}

func newSignal() *signal { return &signal{ch: make(chan struct{})} }

func (s *signal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ch
}

func (s *signal) wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.ch)
	s.ch = make(chan struct{})
}
