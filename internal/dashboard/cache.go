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

// entry is what is stored per user.
type entry struct {
	D       Dashboard `json:"d"`
	FreshTo time.Time `json:"fresh_to"`
}

// BuildFunc builds a user's dashboard from the upstream sources.
type BuildFunc func(ctx context.Context) Dashboard

// Get returns the user's dashboard from st (tenant-scoped) under key.
func (c *Cache) Get(ctx context.Context, st store.Store, key string, now time.Time, build BuildFunc) (Dashboard, error) {
	raw, err := st.Get(ctx, key)
	switch {
	case err == nil:
		var e entry
		if json.Unmarshal(raw, &e) == nil {
			if now.Before(e.FreshTo) {
				return e.D, nil
			}
			if now.Sub(e.D.AsOf) < c.MaxStale {
				c.refreshInBackground(st, key, now, build)
				return e.D, nil
			}
		}
	case !errors.Is(err, store.ErrNotFound):
		return Dashboard{}, fmt.Errorf("dashboard: cache: %w", err)
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		return c.rebuild(context.WithoutCancel(ctx), st, key, build)
	})
	if err != nil {
		return Dashboard{}, err
	}
	return v.(Dashboard), nil
}

// fresh returns the stored entry when it is still fresh at now.
func (c *Cache) fresh(ctx context.Context, st store.Store, key string, now time.Time) (Dashboard, bool) {
	raw, err := st.Get(ctx, key)
	if err != nil {
		return Dashboard{}, false
	}
	var e entry
	if json.Unmarshal(raw, &e) != nil || !now.Before(e.FreshTo) {
		return Dashboard{}, false
	}
	return e.D, true
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
func (c *Cache) rebuild(ctx context.Context, st store.Store, key string, build BuildFunc) (Dashboard, error) {
	d := build(ctx)
	fresh := c.Fresh
	if hasError(d) {
		fresh = min(fresh, 10*time.Second)
	}
	raw, err := json.Marshal(entry{D: d, FreshTo: d.AsOf.Add(fresh)})
	if err != nil {
		return d, fmt.Errorf("dashboard: encode: %w", err)
	}
	if err := st.Set(ctx, key, raw, c.MaxStale); err != nil {
		// Serving what we fetched beats failing on a cache write.
		if c.Logger != nil {
			c.Logger.Warn("dashboard cache write failed", "err", err)
		}
	}
	return d, nil
}

// Wait blocks until background refreshes have finished (shutdown).
func (c *Cache) Wait() { c.wg.Wait() }

func hasError(d Dashboard) bool {
	return d.Mail.Status == StatusError || d.Calendar.Status == StatusError || d.Files.Status == StatusError
}
