// Package ratelimit counts requests in fixed windows kept in the store, so
// a limit holds across every instance that shares the store (Redis).
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Limit allows Max events per Window for each key; Name separates the
// counters of different limits.
type Limit struct {
	Name   string
	Max    int64
	Window time.Duration
}

// Result is the verdict on one event.
type Result struct {
	Allowed bool
	// Remaining is how many more events the window admits (0 when refused).
	Remaining int64
	// RetryAfter is how long until the window ends and the count restarts.
	RetryAfter time.Duration
}

// Allow counts one event for key under l at now and says whether it is
// within the limit. st should be the tenant-scoped store, so tenants never
// share counters. Windows are aligned to the clock (now truncated to
// l.Window), so instances with synchronized clocks share one count.
func Allow(ctx context.Context, st store.Store, l Limit, key string, now time.Time) (Result, error) {
	if l.Max <= 0 || l.Window <= 0 {
		return Result{}, fmt.Errorf("ratelimit: limit %q needs Max and Window", l.Name)
	}
	start := now.Truncate(l.Window)
	end := start.Add(l.Window)
	n, err := st.Incr(ctx, storeKey(l, key, start), end.Sub(now)+time.Second)
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: %s: %w", l.Name, err)
	}
	res := Result{Allowed: n <= l.Max, RetryAfter: end.Sub(now)}
	if res.Allowed {
		res.Remaining = l.Max - n
	}
	return res, nil
}

// storeKey names the counter of key in the window starting at start. key is
// hashed: IP addresses and token names stay out of the store's key space
// and every key has the same short length.
func storeKey(l Limit, key string, start time.Time) string {
	sum := sha256.Sum256([]byte(key))
	return "ratelimit:" + l.Name + ":" + hex.EncodeToString(sum[:12]) + ":" + strconv.FormatInt(start.Unix(), 10)
}
