package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Publish implements Store.
func (r *Redis) Publish(ctx context.Context, channel string, msg []byte) error {
	return redisErr(ctx, "publish", r.client.Publish(ctx, channel, msg).Err())
}

// Subscribe implements Store. It returns once Redis has confirmed the
// subscription, so a message published after Subscribe returns is delivered.
// go-redis pings the connection every few seconds and, after Redis restarts,
// reconnects and subscribes again by itself; messages published while Redis
// was down are lost (Redis pub/sub has no history).
func (r *Redis) Subscribe(ctx context.Context, channel string) (<-chan []byte, func(), error) {
	ps := r.client.Subscribe(ctx, channel)
	if _, err := ps.ReceiveTimeout(ctx, redisPoolTimeout+redisIOTimeout); err != nil {
		_ = ps.Close()
		return nil, nil, redisErr(ctx, "subscribe", err)
	}
	out := make(chan []byte, subscriberBuffer)
	stop := make(chan struct{})
	var once sync.Once
	cancel := func() { once.Do(func() { close(stop) }) }
	if !r.track(stop, cancel) {
		_ = ps.Close()
		return nil, nil, fmt.Errorf("store: subscribe: %w: store is closed", ErrUnavailable)
	}
	in := ps.Channel(redis.WithChannelSize(subscriberBuffer), redis.WithChannelSendTimeout(time.Second))
	go func() {
		defer r.wg.Done()
		defer close(out)
		defer r.untrack(stop)
		defer ps.Close()
		dropped := 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-stop:
				return
			case m, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- []byte(m.Payload):
					if dropped > 0 {
						r.logger.Warn("store: slow subscriber lost messages", "dropped", dropped)
						dropped = 0
					}
				default:
					dropped++
				}
			}
		}
	}()
	return out, cancel, nil
}

// track records a live subscription so Close can end it; it reports false
// when the store is already closed.
func (r *Redis) track(stop chan struct{}, cancel func()) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if r.subs == nil {
		r.subs = map[chan struct{}]func(){}
	}
	r.subs[stop] = cancel
	r.wg.Add(1)
	return true
}

func (r *Redis) untrack(stop chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.subs, stop)
}

// closeSubscriptions ends every live subscription, waits until their
// channels are closed, and refuses new ones.
func (r *Redis) closeSubscriptions() {
	r.mu.Lock()
	r.closed = true
	cancels := make([]func(), 0, len(r.subs))
	for _, c := range r.subs {
		cancels = append(cancels, c)
	}
	r.mu.Unlock()
	for _, c := range cancels {
		c()
	}
	r.wg.Wait()
}
