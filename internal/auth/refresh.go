package auth

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// refreshRetry is how long a session whose token refresh found the
// provider unresponsive keeps its old token before trying again.
const refreshRetry = 30 * time.Second

// ErrRefreshPending says a refresh of this session just failed for want of
// an answer: keep the old token until refreshRetry has passed.
var ErrRefreshPending = errors.New("auth: refresh failed moments ago")

// Refresher renews sessions' tokens: once per session even when several
// tabs ask at the same moment, bounded by a timeout, and not again for a
// while after the provider did not answer.
type Refresher struct {
	providers *Providers
	timeout   time.Duration
	group     singleflight.Group
	failed    *expirable.LRU[string, struct{}]
}

// NewRefresher refreshes through ps, each attempt within timeout; it
// remembers up to entries failed sessions.
func NewRefresher(ps *Providers, timeout time.Duration, entries int) *Refresher {
	return &Refresher{providers: ps, timeout: timeout, failed: expirable.NewLRU[string, struct{}](entries, nil, refreshRetry)}
}

// Refresh renews the tokens of u, whose session is key. ErrInvalid means
// the provider refused: the session ends. Any other error means the
// provider did not answer (or just failed: ErrRefreshPending): the caller
// keeps u and the sources report their own errors.
func (r *Refresher) Refresh(ctx context.Context, key, tenantID string, oidc *config.OIDC, u *User) (Tokens, error) {
	if r.failed.Contains(key) {
		return Tokens{}, ErrRefreshPending
	}
	// Shared by every request of this session that arrives meanwhile; a
	// stalled provider costs a request at most the timeout, and the
	// dashboard answers from its cache.
	v, err, _ := r.group.Do(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
		defer cancel()
		p, err := r.providers.For(ctx, tenantID, oidc)
		if err != nil {
			return nil, err
		}
		toks, err := p.Refresh(ctx, u.Tokens)
		if err == nil && r.providers.renewed != nil {
			r.providers.renewed(ctx, tenantID, u.Subject, u.Tokens, toks)
		}
		return toks, err
	})
	if err != nil {
		if !errors.Is(err, ErrInvalid) {
			r.failed.Add(key, struct{}{})
		}
		return Tokens{}, err
	}
	return v.(Tokens), nil
}
