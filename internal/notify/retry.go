package notify

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Defaults of the retry policy.
const (
	defaultRetryBase = 10 * time.Second
	defaultRetryMax  = 15 * time.Minute
	// breakerAfter is how many transient failures in a row, with no success
	// in between, make a push service count as down for everyone.
	breakerAfter = 20
)

// backoff is the wait before retry attempt (1, 2, …): RetryBase·2^(n-1),
// capped at RetryMax, with full jitter over its upper half so thousands of
// devices retried together do not come back in one burst. A Retry-After
// from the push service is a lower bound.
func (d *Dispatcher) backoff(attempt int, retryAfter time.Duration) time.Duration {
	base, ceiling := d.RetryBase, d.RetryMax
	if base <= 0 {
		base = defaultRetryBase
	}
	if ceiling <= 0 {
		ceiling = defaultRetryMax
	}
	w := base
	for i := 1; i < attempt && w < ceiling; i++ {
		w *= 2
	}
	w = min(w, ceiling)
	w = w/2 + rand.N(w/2+1) // #nosec G404 -- jitter, not a secret
	return max(w, retryAfter)
}

// serviceOf is the push service a subscription belongs to (its origin).
// It is asked twice per push, so the usual "https://host[:port]/path" is
// cut by hand; anything else goes through url.Parse.
func serviceOf(endpoint string) string {
	if rest, ok := strings.CutPrefix(endpoint, "https://"); ok {
		if i := strings.IndexByte(rest, '/'); i > 0 && !strings.ContainsAny(rest[:i], "@?#%[\\ ") {
			return rest[:i]
		}
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return ""
	}
	return u.Host
}

// breaker backs off a whole push service that fails for everyone: after
// breakerAfter transient failures in a row it is paused, in this instance
// and (through the store) in every other, instead of being asked once per
// device.
type breaker struct {
	mu     sync.Mutex
	streak map[string]int       // service → transient failures in a row
	paused map[string]time.Time // service → paused until (this instance)
}

func pauseKey(service string) string { return "push:svcpause:" + service }

// open reports whether service is paused now.
func (b *breaker) open(ctx context.Context, st store.Store, service string, now time.Time) bool {
	b.mu.Lock()
	until, ok := b.paused[service]
	b.mu.Unlock()
	if ok && now.Before(until) {
		return true
	}
	_, err := st.Get(ctx, pauseKey(service))
	return err == nil
}

// result counts one answer of service; it reports true when this answer
// tripped the breaker (the caller then pauses the service for pause).
func (b *breaker) result(ctx context.Context, st store.Store, service string, transient bool, now time.Time, pause time.Duration) bool {
	b.mu.Lock()
	if b.streak == nil {
		b.streak, b.paused = map[string]int{}, map[string]time.Time{}
	}
	if !transient {
		b.streak[service] = 0
		b.mu.Unlock()
		return false
	}
	b.streak[service]++
	trip := b.streak[service] == breakerAfter
	if trip {
		b.paused[service] = now.Add(pause)
	}
	b.mu.Unlock()
	if trip {
		_ = st.Set(ctx, pauseKey(service), []byte(now.Add(pause).UTC().Format(time.RFC3339)), pause)
	}
	return trip
}

// closeAfter resets a service once it answered well again.
func (b *breaker) reset(service string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.paused, service)
	if b.streak != nil {
		b.streak[service] = 0
	}
}
