package auth

import (
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// NewSessionID returns 256 random bits, URL-safe: session ids and the
// anonymous session's CSRF token.
func NewSessionID() string { return randomString(32) }

// UserCache keeps opened sessions (by tenant/session id) in this
// instance's memory for a few seconds, so a warm request needs no store
// round trip. Cached users are shared between requests: read-only.
type UserCache struct {
	lru    *expirable.LRU[string, *User]
	bypass bool // every lookup misses (measuring the store path only)
}

// NewUserCache holds up to entries users, each for ttl; with bypass every
// lookup misses.
func NewUserCache(entries int, ttl time.Duration, bypass bool) *UserCache {
	return &UserCache{lru: expirable.NewLRU[string, *User](entries, nil, ttl), bypass: bypass}
}

// Get is the cached user of key unless their token is due for refresh.
func (c *UserCache) Get(key string, now time.Time) (*User, bool) {
	u, ok := c.lru.Get(key)
	if !ok || c.bypass || u.NeedsRefresh(now) {
		return nil, false
	}
	return u, true
}

// Add caches u under key.
func (c *UserCache) Add(key string, u *User) { c.lru.Add(key, u) }

// Remove drops key.
func (c *UserCache) Remove(key string) { c.lru.Remove(key) }
