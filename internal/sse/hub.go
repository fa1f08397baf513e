// Package sse holds Server-Sent Event streams on connections taken over
// from the HTTP server (hijacked after the response headers), so an open
// stream costs a socket, a small struct and a timer: no goroutine, no
// read or write buffer and no request context while it waits.
package sse

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Options are a hub's timings; zero fields take the defaults.
type Options struct {
	// Ping is how often an idle stream gets a comment line, so proxies
	// and the browser see it alive and a closed tab is noticed.
	Ping time.Duration
	// Lifetime ends each stream; the browser reconnects after Retry.
	Lifetime time.Duration
	// Retry is the reconnection delay sent to the browser.
	Retry time.Duration
	// WriteTimeout bounds one write; a reader that stalls longer is dropped.
	WriteTimeout time.Duration
	// Workers bounds the goroutines writing one broadcast.
	Workers int
}

func (o Options) withDefaults() Options {
	if o.Ping <= 0 {
		o.Ping = 10 * time.Second
	}
	if o.Lifetime <= 0 {
		o.Lifetime = 25 * time.Second
	}
	if o.Retry <= 0 {
		o.Retry = time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 5 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	return o
}

// ErrClosed refuses a stream after the hub's context ended.
var ErrClosed = errors.New("sse: hub closed")

// Hub is the set of open streams of one instance, grouped by a key (the
// tenant): a broadcast reaches only the streams of its key.
type Hub struct {
	ctx  context.Context
	opts Options

	mu    sync.Mutex
	byKey map[string]map[*Stream]struct{}
	done  bool
}

// NewHub returns a hub whose streams all close when ctx ends.
func NewHub(ctx context.Context, o Options) *Hub {
	h := &Hub{ctx: ctx, opts: o.withDefaults(), byKey: map[string]map[*Stream]struct{}{}}
	context.AfterFunc(ctx, h.closeAll)
	return h
}

// Open takes over conn: it writes head (the HTTP response headers, for a
// chunked body) and the hello event, and keeps the stream under key until
// it ends (lifetime, shutdown, a failed write or a closed peer); then
// onClose runs once. data travels with the stream for Broadcast. On an
// error conn is closed and onClose has not run.
func (h *Hub) Open(key string, conn net.Conn, head []byte, data any, onClose func()) error {
	s := &Stream{hub: h, key: key, conn: conn, data: data, onClose: onClose,
		end: time.Now().Add(h.opts.Lifetime)}
	// Registered before the first write, under the stream's lock, so no
	// event broadcast meanwhile is lost and none comes before the headers.
	s.mu.Lock()
	h.mu.Lock()
	if h.done {
		h.mu.Unlock()
		s.mu.Unlock()
		_ = conn.Close()
		return ErrClosed
	}
	set := h.byKey[key]
	if set == nil {
		set = map[*Stream]struct{}{}
		h.byKey[key] = set
	}
	set[s] = struct{}{}
	s.timer = time.AfterFunc(h.next(s.end), s.tick)
	h.mu.Unlock()
	err := s.writeRaw(append(head, frame(nil, helloEvent(h.opts.Retry))...))
	if err != nil {
		s.onClose = nil // the caller learns of it from err
	}
	s.mu.Unlock()
	if err != nil {
		s.Close()
	}
	return err
}

// Len is the number of open streams under key.
func (h *Hub) Len(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.byKey[key])
}

// Broadcast writes, to every stream open under key, the event that
// event(data) returns for it (nil: nothing for this stream). It returns
// when every stream was written to, so events of one key stay in order
// when one goroutine broadcasts them.
func (h *Hub) Broadcast(key string, event func(data any) []byte) {
	h.mu.Lock()
	list := make([]*Stream, 0, len(h.byKey[key]))
	for s := range h.byKey[key] {
		list = append(list, s)
	}
	h.mu.Unlock()
	workers := min(h.opts.Workers, len(list))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(list); i += workers {
				if ev := event(list[i].data); ev != nil {
					list[i].write(ev)
				}
			}
		}()
	}
	wg.Wait()
}

// next is how long until a stream ending at end needs its next visit: a
// ping, or its end when that comes first.
func (h *Hub) next(end time.Time) time.Duration {
	return min(h.opts.Ping, time.Until(end))
}

func (h *Hub) remove(s *Stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if set := h.byKey[s.key]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(h.byKey, s.key)
		}
	}
}

// closeAll ends every stream: the server is shutting down.
func (h *Hub) closeAll() {
	h.mu.Lock()
	h.done = true
	var all []*Stream
	for _, set := range h.byKey {
		for s := range set {
			all = append(all, s)
		}
	}
	h.mu.Unlock()
	for _, s := range all {
		s.Close()
	}
}
