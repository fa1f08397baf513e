// Package fiberstore adapts Pforte's store to fiber.Storage, for the web
// layer's Fiber session middleware: the store itself knows nothing of
// Fiber.
package fiberstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// fiberOpTimeout bounds each call, because fiber.Storage has no context.
const fiberOpTimeout = 3 * time.Second

// fiberIndexKey is the sorted set of every key the adapter wrote, scored by
// expiry (Unix seconds, +Inf: never), so Reset can find them without a scan
// of the whole store.
const fiberIndexKey = "fiber-storage-index"

// fiberIndexMinTTL is the least the index lives after a write: longer than
// any session, so a short-lived write never cuts a long one's entry.
const fiberIndexMinTTL = 24 * time.Hour

// Storage adapts a store.Store to fiber.Storage, for Fiber's session
// middleware. Give it its own namespace (New(store.Prefixed(s, "sess:"))):
// Reset deletes every key it wrote.
type Storage struct {
	s    store.Store
	sets atomic.Uint64
}

var _ fiber.Storage = (*Storage)(nil)

// New returns the fiber.Storage on s.
func New(s store.Store) *Storage { return &Storage{s: s} }

func fiberCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), fiberOpTimeout)
}

// Get returns the value of key, or nil, nil when it is absent or expired.
func (f *Storage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	ctx, cancel := fiberCtx()
	defer cancel()
	v, err := f.s.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// Set stores val under key for exp (0: forever). An empty key or value is
// ignored, as fiber.Storage requires.
func (f *Storage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	ctx, cancel := fiberCtx()
	defer cancel()
	if err := f.s.Set(ctx, key, val, exp); err != nil {
		return err
	}
	score := math.Inf(1)
	if exp > 0 {
		score = float64(time.Now().Add(exp).Unix() + 1)
	}
	if err := f.s.ZAdd(ctx, fiberIndexKey, key, score); err != nil {
		return err
	}
	// The index itself expires a while after its last write, so it never
	// outlives what it lists by much (entries of expired keys are pruned
	// below).
	if exp > 0 {
		if err := f.s.Expire(ctx, fiberIndexKey, max(exp, fiberIndexMinTTL)); err != nil {
			return err
		}
	}
	// Now and then forget index entries of keys that have expired, so the
	// index does not grow with every session ever created.
	if f.sets.Add(1)%128 == 0 {
		return f.prune(ctx)
	}
	return nil
}

func (f *Storage) prune(ctx context.Context) error {
	gone, err := f.s.ZRangeByScore(ctx, fiberIndexKey, math.Inf(-1), float64(time.Now().Unix()), 0, 1000, false)
	if err != nil || len(gone) == 0 {
		return err
	}
	return f.s.ZRem(ctx, fiberIndexKey, gone...)
}

// Delete removes key; an absent key is not an error.
func (f *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	ctx, cancel := fiberCtx()
	defer cancel()
	if err := f.s.Delete(ctx, key); err != nil {
		return err
	}
	return f.s.ZRem(ctx, fiberIndexKey, key)
}

// Reset deletes every key this adapter (or another one on the same
// namespace) wrote.
func (f *Storage) Reset() error {
	ctx, cancel := fiberCtx()
	defer cancel()
	for {
		keys, err := f.s.ZRangeByScore(ctx, fiberIndexKey, math.Inf(-1), math.Inf(1), 0, 500, false)
		if err != nil {
			return fmt.Errorf("fiberstore: reset: %w", err)
		}
		if len(keys) == 0 {
			return nil
		}
		if err := f.s.Delete(ctx, keys...); err != nil {
			return fmt.Errorf("fiberstore: reset: %w", err)
		}
		if err := f.s.ZRem(ctx, fiberIndexKey, keys...); err != nil {
			return fmt.Errorf("fiberstore: reset: %w", err)
		}
	}
}

// Close does nothing: the Store belongs to whoever opened it.
func (f *Storage) Close() error { return nil }
