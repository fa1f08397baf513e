package auth

import (
	"context"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// maxLogoutTokenMemory bounds how long a jti is remembered when a token
// claims a far-away expiry (the provider sets exp; minutes are usual).
const maxLogoutTokenMemory = 24 * time.Hour

// FirstUse records the logout token's jti in st (tenant-scoped) until the
// token expires and reports whether this is its first use: a replayed
// logout token must end nothing (Back-Channel Logout 1.0, 2.6 step 8).
func (c *LogoutClaims) FirstUse(ctx context.Context, st store.Store, now time.Time) (bool, error) {
	ttl := maxLogoutTokenMemory
	if c.Expiry != nil {
		// Past exp (+ the 30 s leeway of verification) it is refused anyway.
		ttl = min(ttl, c.Expiry.Time().Sub(now)+time.Minute)
	}
	if ttl <= 0 {
		ttl = time.Minute
	}
	fresh, err := st.SetNX(ctx, "logout-jti:"+c.Issuer+"|"+c.ID, []byte{1}, ttl)
	if err != nil {
		return false, fmt.Errorf("auth: remember logout token: %w", err)
	}
	return fresh, nil
}
