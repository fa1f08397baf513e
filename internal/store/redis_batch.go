package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Concurrent GetLinked calls share round trips: a call made while another
// batch is on the wire waits for it and goes out with the others that
// came meanwhile, in one pipeline. On a busy instance most of a round
// trip's cost is its system calls (one write and one read on each side),
// so a batch of n costs little more than one call; a call made alone goes
// out at once, as before. GetLinked is what every signed-in request that
// misses the in-memory caches does first (the session record with the
// dashboard snapshot).
const (
	linkedWorkers  = 1   // one batch on the wire at a time: the largest batches (fewest system calls)
	linkedBatchMax = 256 // calls per batch: while Redis is down, waiting callers fail in few batches
)

// linkedBatcher feeds GetLinked calls to the workers, started on first use.
type linkedBatcher struct {
	once    sync.Once
	calls   chan *linkedCall // unbuffered: callers wait until a worker takes them
	stop    chan struct{}    // closed by Redis.Close
	running bool
}

type linkedCall struct {
	keys          []string
	ns            string
	value, linked []byte
	err           error
	done          chan struct{}
}

func (r *Redis) startLinkedWorkers() {
	b := &r.batch
	b.calls, b.stop = make(chan *linkedCall), make(chan struct{})
	for range linkedWorkers {
		if !r.track(b.stop, sync.OnceFunc(func() { close(b.stop) })) {
			return // the store is closed
		}
		b.running = true
		go r.linkedWorker()
	}
}

func (r *Redis) getLinkedBatched(ctx context.Context, guard, key, ns string) ([]byte, []byte, error) {
	r.batch.once.Do(r.startLinkedWorkers)
	if !r.batch.running {
		return nil, nil, fmt.Errorf("store: get linked: %w: store is closed", ErrUnavailable)
	}
	call := &linkedCall{keys: []string{guard, key}, ns: ns, done: make(chan struct{})}
	select {
	case r.batch.calls <- call:
	case <-r.batch.stop:
		return nil, nil, fmt.Errorf("store: get linked: %w: store is closed", ErrUnavailable)
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("store: get linked: %w", ctx.Err())
	}
	select {
	case <-call.done:
		return call.value, call.linked, call.err
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("store: get linked: %w", ctx.Err())
	}
}

func (r *Redis) linkedWorker() {
	defer r.wg.Done()
	defer r.untrack(r.batch.stop)
	batch := make([]*linkedCall, 0, linkedBatchMax)
	for {
		select {
		case <-r.batch.stop:
			return
		case c := <-r.batch.calls:
			batch = append(batch[:0], c)
		}
	more:
		for len(batch) < linkedBatchMax {
			select {
			case c := <-r.batch.calls:
				batch = append(batch, c)
			default:
				break more
			}
		}
		r.runLinked(batch)
	}
}

// runLinked sends one batch in one pipeline and hands each caller its
// answer. The callers' contexts differ, so the batch runs under the
// client's own timeouts; a caller that gives up does not wait for it.
func (r *Redis) runLinked(batch []*linkedCall) {
	ctx := context.Background()
	cmds := r.pipeLinked(ctx, batch)
	if len(cmds) > 0 && cmds[0].Err() != nil && strings.HasPrefix(cmds[0].Err().Error(), "NOSCRIPT") {
		// Redis restarted and forgot the script: load it once, send again.
		if err := linkedScript.Load(ctx, r.client).Err(); err == nil {
			cmds = r.pipeLinked(ctx, batch)
		}
	}
	for i, c := range batch {
		c.value, c.linked, c.err = linkedReply(ctx, cmds[i])
		close(c.done)
	}
}

func (r *Redis) pipeLinked(ctx context.Context, batch []*linkedCall) []*redis.Cmd {
	cmds := make([]*redis.Cmd, len(batch))
	pipe := r.client.Pipeline()
	for i, c := range batch {
		cmds[i] = linkedScript.EvalSha(ctx, pipe, c.keys, c.ns)
	}
	_, _ = pipe.Exec(ctx) // each command carries its own error
	return cmds
}
