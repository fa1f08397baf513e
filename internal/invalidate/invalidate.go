// Package invalidate drops entries of per-instance caches on every
// instance: here at once, on the others through the store's pub/sub. Pub/sub
// is at-most-once (e.g. across a Redis restart), so the caches' short TTLs
// bound staleness when a message is lost.
package invalidate

import (
	"context"
	"log/slog"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// channel is not tenant-scoped: keys carry the tenant.
const channel = "pforte:local-invalidate"

// Bus knows how to drop an entry of each kind of local cache.
type Bus struct {
	store store.Store
	log   *slog.Logger
	drop  map[string]func(key string)
}

// New is a bus on st; drop removes a key from the local cache of a kind
// (kinds are short names such as "u" and "d").
func New(st store.Store, log *slog.Logger, drop map[string]func(key string)) *Bus {
	return &Bus{store: st, log: log, drop: drop}
}

// Forget drops key of kind here and tells every other instance to.
func (b *Bus) Forget(ctx context.Context, kind, key string) {
	b.dropLocal(kind, key)
	if err := b.store.Publish(ctx, channel, []byte(kind+"|"+key)); err != nil {
		b.log.Warn("publish cache invalidation", "err", err)
	}
}

func (b *Bus) dropLocal(kind, key string) {
	if drop, ok := b.drop[kind]; ok {
		drop(key)
	}
}

// Listen applies other instances' invalidations until ctx ends.
func (b *Bus) Listen(ctx context.Context) {
	msgs, cancel, err := b.store.Subscribe(ctx, channel)
	if err != nil {
		b.log.Warn("subscribe to cache invalidations: local caches only expire", "err", err)
		return
	}
	go func() {
		defer cancel()
		for m := range msgs {
			if kind, key, ok := strings.Cut(string(m), "|"); ok {
				b.dropLocal(kind, key)
			}
		}
	}()
}
