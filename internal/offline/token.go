package offline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// fresh is how long an access token must still live to be handed out
// without a refresh (a CalDAV request takes less).
const fresh = time.Minute

// lockPoll is how often a caller waiting for another instance's refresh
// looks again.
const lockPoll = 100 * time.Millisecond

// AccessToken returns an access token for subject without a session: the
// kept one while it lives, else one refreshed at the tenant's provider
// (once across instances: a refresh token rotates, and two refreshes of it
// would make the provider refuse the second). The rotated refresh token is
// stored. When the provider answers invalid_grant the token is deleted and
// Status says why; ErrNotKept then and for users without one. Any other
// error (provider unreachable, a wrong client secret) keeps the token.
func (a *Access) AccessToken(ctx context.Context, tenant, subject string) (string, error) {
	if !a.Enabled(tenant) {
		return "", ErrNotEnabled
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	lock := "offline:lock:" + subject
	ts := store.ForTenant(a.st, tenant)
	for {
		g, err := a.load(ctx, tenant, subject)
		if err != nil {
			return "", err
		}
		if g.Access != "" && a.now().Add(fresh).Before(g.Expiry) {
			return g.Access, nil
		}
		ok, err := ts.SetNX(ctx, lock, []byte("1"), a.timeout+5*time.Second)
		if err != nil {
			return "", fmt.Errorf("offline: lock: %w", err)
		}
		if ok {
			defer func() { _ = ts.Delete(context.WithoutCancel(ctx), lock) }()
			return a.refresh(ctx, tenant, subject, g)
		}
		select { // another instance refreshes this token: take its result
		case <-ctx.Done():
			return "", fmt.Errorf("offline: wait for refresh: %w", ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}

// refresh renews g under the lock.
func (a *Access) refresh(ctx context.Context, tenant, subject string, g grant) (string, error) {
	p, err := a.providers.For(ctx, tenant, a.oidc[tenant])
	if err != nil {
		return "", fmt.Errorf("offline: provider: %w", err)
	}
	toks, err := p.Refresh(ctx, auth.Tokens{Refresh: g.Refresh})
	if errors.Is(err, auth.ErrGrantRefused) {
		// A session refresh may have replaced the token meanwhile
		// (Renewed): then this refusal is about the old one.
		if now, lerr := a.load(ctx, tenant, subject); lerr == nil && now.Refresh != g.Refresh {
			return a.refresh(ctx, tenant, subject, now)
		}
		if derr := Drop(ctx, store.ForTenant(a.st, tenant), subject, Refused, "invalid_grant", a.now()); derr != nil {
			return "", derr
		}
		return "", fmt.Errorf("%w: %w", ErrNotKept, err)
	}
	if err != nil {
		return "", fmt.Errorf("offline: refresh: %w", err)
	}
	g.Refresh, g.Access, g.Expiry = toks.Refresh, toks.Access, toks.Expiry
	if err := a.save(ctx, tenant, subject, g); err != nil {
		return "", err
	}
	return g.Access, nil
}
