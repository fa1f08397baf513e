package announce

import (
	"context"
	"log/slog"
	"sync"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// liveHub fans a tenant's announcement events out to the open event streams
// of this instance: one store subscription per tenant with listeners, not
// one per browser tab (on Redis each subscription is a connection).
type liveHub struct {
	ctx    context.Context
	st     store.Store
	logger *slog.Logger

	mu    sync.Mutex
	feeds map[string]*feed
}

type feed struct {
	cancel    func()
	listeners map[chan Event]struct{}
}

// listenerBuffer is how many events a slow stream may lag behind before
// further ones are dropped for it (the page catches up on reconnect).
const listenerBuffer = 16

func newLiveHub(ctx context.Context, st store.Store, logger *slog.Logger) *liveHub {
	return &liveHub{ctx: ctx, st: st, logger: logger, feeds: map[string]*feed{}}
}

// listen delivers the tenant's events published after it returns, until
// the returned stop is called or the hub's context ends (then the channel
// is closed).
func (h *liveHub) listen(tenantID string) (<-chan Event, func(), error) {
	ch := make(chan Event, listenerBuffer)
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.feeds[tenantID]
	if !ok {
		msgs, cancel, err := store.ForTenant(h.st, tenantID).Subscribe(h.ctx, Channel)
		if err != nil {
			return nil, nil, err
		}
		f = &feed{cancel: cancel, listeners: map[chan Event]struct{}{}}
		h.feeds[tenantID] = f
		go h.forward(tenantID, f, msgs)
	}
	f.listeners[ch] = struct{}{}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if _, ok := f.listeners[ch]; !ok {
				return // the feed ended and closed it
			}
			delete(f.listeners, ch)
			close(ch)
			if len(f.listeners) == 0 && h.feeds[tenantID] == f {
				delete(h.feeds, tenantID)
				f.cancel()
			}
		})
	}
	return ch, stop, nil
}

// forward copies the subscription's events to the feed's listeners; when
// the subscription ends it closes them all.
func (h *liveHub) forward(tenantID string, f *feed, msgs <-chan []byte) {
	for raw := range msgs {
		ev, err := ParseEvent(raw)
		if err != nil {
			h.logger.Warn("announce: bad event", "tenant", tenantID, "err", err)
			continue
		}
		h.mu.Lock()
		for ch := range f.listeners {
			select {
			case ch <- ev:
			default:
			}
		}
		h.mu.Unlock()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range f.listeners {
		close(ch)
	}
	f.listeners = map[chan Event]struct{}{}
	if h.feeds[tenantID] == f {
		delete(h.feeds, tenantID)
	}
}
