package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// hub is the in-process pub/sub of the Bolt store. Publish never blocks:
// each subscriber has a buffer of subscriberBuffer messages, and a message
// that does not fit is dropped for that subscriber (and logged).
type hub struct {
	logger *slog.Logger

	mu     sync.RWMutex
	closed bool
	subs   map[string]map[*hubSub]struct{}
	wg     sync.WaitGroup
}

type hubSub struct {
	ch      chan []byte
	stop    chan struct{}
	once    sync.Once
	dropMu  sync.Mutex // publishers hold only hub.mu's read lock
	dropped int
}

func newHub(logger *slog.Logger) *hub {
	return &hub{logger: logger, subs: map[string]map[*hubSub]struct{}{}}
}

func (h *hub) publish(channel string, msg []byte) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		return fmt.Errorf("store: publish: %w: store is closed", ErrUnavailable)
	}
	for s := range h.subs[channel] {
		// Each subscriber gets its own copy: the caller may reuse msg.
		select {
		case s.ch <- copyBytes(msg):
		default:
			s.dropMu.Lock()
			s.dropped++
			first := s.dropped == 1
			s.dropMu.Unlock()
			if first {
				h.logger.Warn("store: slow subscriber is losing messages", "channel_len", len(s.ch))
			}
		}
	}
	return nil
}

func (h *hub) subscribe(ctx context.Context, channel string) (<-chan []byte, func(), error) {
	s := &hubSub{ch: make(chan []byte, subscriberBuffer), stop: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, nil, fmt.Errorf("store: subscribe: %w: store is closed", ErrUnavailable)
	}
	if h.subs[channel] == nil {
		h.subs[channel] = map[*hubSub]struct{}{}
	}
	h.subs[channel][s] = struct{}{}
	h.wg.Add(1)
	h.mu.Unlock()

	cancel := func() { s.once.Do(func() { close(s.stop) }) }
	go func() {
		defer h.wg.Done()
		select {
		case <-ctx.Done():
		case <-s.stop:
		}
		h.mu.Lock()
		delete(h.subs[channel], s)
		if len(h.subs[channel]) == 0 {
			delete(h.subs, channel)
		}
		close(s.ch) // under the lock, so no publish is sending to it
		h.mu.Unlock()
	}()
	return s.ch, cancel, nil
}

// close ends every subscription, waits until their channels are closed and
// refuses further use.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	var all []*hubSub
	for _, subs := range h.subs {
		for s := range subs {
			all = append(all, s)
		}
	}
	h.mu.Unlock()
	for _, s := range all {
		s.once.Do(func() { close(s.stop) })
	}
	h.wg.Wait()
}
