package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Cache keeps each user's last dashboard in the store (so every instance
// shares it) and serves it stale-while-revalidate: a fresh entry is served
// as is; a stale one is served at once while one refresh runs in the
// background; a missing or very old one is built while the user waits.
// Concurrent requests for one user share one upstream fetch.
type Cache struct {
	Fresh    time.Duration // a complete dashboard is fresh this long
	MaxStale time.Duration // older entries are rebuilt while the user waits
	Logger   *slog.Logger

	group singleflight.Group
	ctx   context.Context // background refreshes end with it
	sem   chan struct{}   // bounds background refreshes
	wg    sync.WaitGroup
}

// NewCache returns a cache whose background refreshes run under ctx, at
// most maxBackground at a time (more are skipped: the next request retries).
func NewCache(ctx context.Context, fresh, maxStale time.Duration, maxBackground int, logger *slog.Logger) *Cache {
	return &Cache{Fresh: fresh, MaxStale: maxStale, Logger: logger, ctx: ctx, sem: make(chan struct{}, maxBackground)}
}

// BuildFunc builds a user's snapshot from the upstream sources.
type BuildFunc func(ctx context.Context) Snapshot

// Get returns the user's snapshot from st (tenant-scoped) under key, still
// encoded: a warm request sends it on without decoding it.
func (c *Cache) Get(ctx context.Context, st store.Store, key string, now time.Time, build BuildFunc) (Cached, error) {
	raw, err := st.Get(ctx, key)
	return c.serve(ctx, st, key, now, raw, err, build)
}

// serve is Get once st's value of key (raw, or err) has been read.
func (c *Cache) serve(ctx context.Context, st store.Store, key string, now time.Time, raw []byte, err error, build BuildFunc) (Cached, error) {
	switch {
	case err == nil:
		if e, ok := decodeEntry(raw); ok {
			if now.Before(e.FreshTo) {
				return e.Cached, nil
			}
			if now.Sub(e.AsOf) < c.MaxStale {
				c.refreshInBackground(st, key, now, build)
				return e.Cached, nil
			}
		}
	case !errors.Is(err, store.ErrNotFound):
		return Cached{}, fmt.Errorf("dashboard: cache: %w", err)
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		return c.rebuild(context.WithoutCancel(ctx), st, key, build)
	})
	if err != nil {
		return Cached{}, err
	}
	return v.(Cached), nil
}

// fresh returns the stored entry when it is still fresh at now.
func (c *Cache) fresh(ctx context.Context, st store.Store, key string, now time.Time) (Cached, bool) {
	raw, err := st.Get(ctx, key)
	if err != nil {
		return Cached{}, false
	}
	e, ok := decodeEntry(raw)
	if !ok || !now.Before(e.FreshTo) {
		return Cached{}, false
	}
	return e.Cached, true
}

// Invalidate drops a user's cached dashboard (account connected, sign-out).
func (c *Cache) Invalidate(ctx context.Context, st store.Store, key string) error {
	return st.Delete(ctx, key)
}

func (c *Cache) refreshInBackground(st store.Store, key string, now time.Time, build BuildFunc) {
	select {
	case c.sem <- struct{}{}:
	default:
		return // enough refreshes running; the next request tries again
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() { <-c.sem }()
		_, err, _ := c.group.Do(key, func() (any, error) {
			// A refresh that just finished (here or on another instance)
			// makes this one unnecessary.
			if d, ok := c.fresh(c.ctx, st, key, now); ok {
				return d, nil
			}
			return c.rebuild(c.ctx, st, key, build)
		})
		if err != nil && c.Logger != nil {
			c.Logger.Warn("background dashboard refresh failed", "err", err)
		}
	}()
}

// rebuild fetches and stores. A dashboard with a failing source stays fresh
// only briefly, so the next request retries that source soon.
func (c *Cache) rebuild(ctx context.Context, st store.Store, key string, build BuildFunc) (Cached, error) {
	d := build(ctx)
	fresh := c.Fresh
	if hasError(d) {
		fresh = min(fresh, 10*time.Second)
	}
	body, err := json.Marshal(d)
	if err != nil {
		return Cached{}, fmt.Errorf("dashboard: encode: %w", err)
	}
	e := entry{Cached: Cached{JSON: body, AsOf: d.AsOf, FreshTo: d.AsOf.Add(fresh), Digest: digestOf(body)}}
	if err := st.Set(ctx, key, e.encode(), c.MaxStale); err != nil {
		// Serving what we fetched beats failing on a cache write.
		if c.Logger != nil {
			c.Logger.Warn("dashboard cache write failed", "err", err)
		}
	}
	return e.Cached, nil
}

// Wait blocks until background refreshes have finished (shutdown).
func (c *Cache) Wait() { c.wg.Wait() }

func hasError(d Snapshot) bool {
	for _, b := range d.blocks() {
		if b.Status == StatusError {
			return true
		}
	}
	return false
}
