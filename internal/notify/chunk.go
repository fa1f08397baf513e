package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// flushEvery is how many outcomes are recorded between writes of a
// chunk's record: what a crash may repeat, at most.
const flushEvery = 250

// deliverChunk sends one chunk's open targets once each, records every
// outcome, and puts the targets worth retrying back into the outbox for
// later (or counts them expired when the TTL would run out first).
func (d *Dispatcher) deliverChunk(ctx context.Context, t TenantPush, st store.Store, c *chunk) (Stats, error) {
	p, err := loadPublication(ctx, st, c.Pub)
	if errors.Is(err, store.ErrNotFound) {
		return Stats{}, nil // long expired
	} else if err != nil {
		return Stats{}, err
	}
	rec, err := loadRecord(ctx, st, c.Pub, c.No)
	if err != nil {
		return Stats{}, err
	}
	var todo []push.Target
	for _, tg := range c.Targets {
		if !final(rec[tg.ID]) {
			todo = append(todo, tg)
		}
	}
	keep := p.TTL + 48*time.Hour
	now := d.now()
	if !now.Before(p.Deadline) {
		for _, tg := range todo {
			rec[tg.ID] = recExpired
		}
		return Stats{Expired: len(todo)}, rec.save(ctx, st, p.Ann, c.Pub, c.No, keep)
	}
	run := &chunkRun{d: d, t: t, st: st, c: c, p: p, rec: rec, keep: keep, paused: map[string]bool{}}
	for _, tg := range todo {
		svc := serviceOf(tg.Sub.Endpoint)
		if _, seen := run.paused[svc]; !seen {
			run.paused[svc] = d.brk.open(ctx, st, svc, now)
		}
	}
	opts := push.Options{TTL: p.Deadline.Sub(now).Truncate(time.Second), Urgency: p.Urgency, Topic: p.Topic, ContentType: p.Type}
	run.send(ctx, todo, opts)
	d.tally.save(context.WithoutCancel(ctx), st, t.ID, d.consumerID(), run.services())
	if ctx.Err() != nil {
		_ = run.flush(context.WithoutCancel(ctx))
		return run.stats, ctx.Err()
	}
	if err := run.retryLater(ctx); err != nil {
		return run.stats, err
	}
	return run.stats, run.flush(ctx)
}

// chunkRun is one delivery pass over a chunk.
type chunkRun struct {
	d    *Dispatcher
	t    TenantPush
	st   store.Store
	c    *chunk
	p    publication
	keep time.Duration

	mu         sync.Mutex
	rec        record
	stats      Stats
	paused     map[string]bool // push service → backed off as a whole
	retry      []push.Target
	retryAfter time.Duration
	done       int

	saveMu sync.Mutex
	saved  int // done count of the last record written
}

func (r *chunkRun) send(ctx context.Context, todo []push.Target, opts push.Options) {
	workers := r.d.Workers
	if workers <= 0 {
		workers = 16
	}
	next := make(chan push.Target)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(todo))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tg := range next {
				r.one(ctx, tg, opts)
			}
		}()
	}
	for _, tg := range todo {
		if ctx.Err() != nil {
			break // not started: stays open in the record, the retaken chunk sends it
		}
		next <- tg
	}
	close(next)
	wg.Wait()
}

// one sends to one target (unless its push service is backed off) and
// records the outcome.
func (r *chunkRun) one(ctx context.Context, tg push.Target, opts push.Options) {
	svc := serviceOf(tg.Sub.Endpoint)
	r.mu.Lock()
	paused := r.paused[svc]
	r.mu.Unlock()
	var res push.Result
	if paused {
		res = push.Result{Outcome: push.OutcomeRetry}
	} else {
		res, _ = r.t.Sender.Send(ctx, tg.Sub, r.p.Payload, opts)
		if ctx.Err() != nil {
			return // cut off by shutdown: not an outcome of the push service
		}
	}
	now := r.d.now()
	if res.Outcome == push.OutcomeGone {
		subject, _, _ := cutTarget(tg.ID)
		if err := NewDevices(r.st).Delete(ctx, subject, tg.Sub.Endpoint); err != nil {
			r.d.Logger.Warn("push: prune device", "tenant", r.t.ID, "err", err)
		}
	}
	tripped := false
	if !paused && res.Outcome != push.OutcomeGone {
		r.d.tally.count(r.t.ID, svc, res.Outcome == push.OutcomeDelivered, now)
	}
	if !paused {
		transient := res.Outcome == push.OutcomeRetry
		if tripped = r.d.brk.result(ctx, r.st, svc, transient, now, r.d.backoff(r.c.Attempt+1, res.RetryAfter)); tripped {
			r.d.Logger.Warn("push: push service fails for everyone; backing off", "tenant", r.t.ID, "service", svc)
		}
		if !transient {
			r.d.brk.reset(svc)
		}
	}
	r.mu.Lock()
	switch res.Outcome {
	case push.OutcomeDelivered:
		r.rec[tg.ID] = recDelivered
		r.stats.Delivered++
	case push.OutcomeGone:
		r.rec[tg.ID] = recGone
		r.stats.Gone++
	case push.OutcomeRetry:
		r.rec[tg.ID] = recRetrying
		r.retry = append(r.retry, tg)
		r.retryAfter = max(r.retryAfter, res.RetryAfter)
		if tripped {
			r.paused[svc] = true
		}
	default:
		r.rec[tg.ID] = recFailed
		r.stats.Failed++
	}
	r.done++
	flush := r.done%flushEvery == 0
	r.mu.Unlock()
	if flush {
		if err := r.flush(ctx); err != nil {
			r.d.Logger.Warn("push: record outcomes", "tenant", r.t.ID, "err", err)
		}
	}
}

// services are the push services this chunk talks to.
func (r *chunkRun) services() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]bool, len(r.paused))
	for svc := range r.paused {
		out[svc] = true
	}
	return out
}

// flush writes the record as it is now; an older copy never overwrites a
// newer one.
func (r *chunkRun) flush(ctx context.Context) error {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	r.mu.Lock()
	done, snapshot := r.done, maps.Clone(r.rec)
	r.mu.Unlock()
	if done < r.saved {
		return nil
	}
	r.saved = done
	return snapshot.save(ctx, r.st, r.p.Ann, r.c.Pub, r.c.No, r.keep)
}

// retryLater puts the targets that met a transient failure back into the
// outbox after the backoff, or counts them expired when the TTL would run
// out before.
func (r *chunkRun) retryLater(ctx context.Context) error {
	if len(r.retry) == 0 {
		return nil
	}
	wait := r.d.backoff(r.c.Attempt+1, r.retryAfter)
	if !r.d.now().Add(wait).Before(r.p.Deadline) {
		for _, tg := range r.retry {
			r.rec[tg.ID] = recExpired
		}
		r.stats.Expired += len(r.retry)
		return nil
	}
	raw, err := encodeItem(outboxItem{Chunk: &chunk{Pub: r.c.Pub, Ann: r.c.Ann, No: r.c.No, Attempt: r.c.Attempt + 1, Targets: r.retry}})
	if err != nil {
		return fmt.Errorf("notify: encode retry: %w", err)
	}
	if err := r.st.QueueAdd(ctx, outboxQueue, time.Now().Add(wait), raw); err != nil {
		return fmt.Errorf("notify: schedule retry: %w", err)
	}
	r.stats.Retrying += len(r.retry)
	return nil
}

func loadPublication(ctx context.Context, st store.Store, pub string) (publication, error) {
	raw, err := st.Get(ctx, pubKey(pub))
	if err != nil {
		return publication{}, fmt.Errorf("notify: load publication: %w", err)
	}
	var p publication
	if err := json.Unmarshal(raw, &p); err != nil {
		return publication{}, fmt.Errorf("notify: load publication: %w", err)
	}
	return p, nil
}
