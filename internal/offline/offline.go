// Package offline is background access for meeting reminders: a sealed
// refresh token per user who turned reminders on, in a tenant whose OIDC
// config says offline_access: true. With it Pforte gets an access token for
// that user's calendar while they have no open session. It is deleted when
// they turn reminders off, log out everywhere, are erased, or when the
// provider refuses it (and Status then says why reminders stopped).
package offline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

var (
	// ErrNotEnabled: the tenant has no oidc.offline_access; reminders then
	// work while the user's session lives.
	ErrNotEnabled = errors.New("offline: background access is not enabled for this tenant (oidc.offline_access)")
	// ErrNoToken: Keep got no refresh token (the provider issued none).
	ErrNoToken = errors.New("offline: the session has no refresh token")
	// ErrNotKept: no refresh token is kept for this user (never kept,
	// forgotten, or refused by the provider: see Status).
	ErrNotKept = errors.New("offline: no background access kept for this user")
)

// Access keeps and uses the refresh tokens. One per process, shared by the
// settings handlers, the reminder scheduler and logout.
type Access struct {
	st        store.Store // root store; each tenant's keys under store.ForTenant
	sealer    store.Sealer
	providers *auth.Providers
	oidc      map[string]*config.OIDC // tenants with offline_access only
	now       func() time.Time
	timeout   time.Duration // one refresh at the provider, at most
}

// New builds the access over st with sealer (its own key purpose), asking
// the tenants' providers through ps (Pforte's HTTP client with timeouts).
// Only tenants whose OIDC config has OfflineAccess are served.
func New(st store.Store, sealer store.Sealer, ps *auth.Providers, tenants map[string]*config.OIDC, now func() time.Time) *Access {
	if now == nil {
		now = time.Now
	}
	on := map[string]*config.OIDC{}
	for id, o := range tenants {
		if o != nil && o.OfflineAccess {
			on[id] = o
		}
	}
	return &Access{st: st, sealer: sealer, providers: ps, oidc: on, now: now, timeout: 10 * time.Second}
}

// Enabled tells whether tenant keeps refresh tokens for reminders.
func (a *Access) Enabled(tenant string) bool { return a.oidc[tenant] != nil }

// Keep stores refreshToken for subject (called when they turn reminders
// on, and by Renewed on later refreshes). It replaces any token kept
// before and clears a recorded stop.
func (a *Access) Keep(ctx context.Context, tenant, subject, refreshToken string) error {
	if !a.Enabled(tenant) {
		return ErrNotEnabled
	}
	if refreshToken == "" {
		return ErrNoToken
	}
	if err := a.save(ctx, tenant, subject, grant{Refresh: refreshToken, KeptAt: a.now()}); err != nil {
		return err
	}
	if err := store.ForTenant(a.st, tenant).Delete(ctx, stopKey(subject)); err != nil {
		return fmt.Errorf("offline: keep: %w", err)
	}
	return nil
}

// Forget deletes subject's token for reason (opt-out, logout everywhere,
// erasure). Forgetting nothing is no error.
func (a *Access) Forget(ctx context.Context, tenant, subject string, reason Reason) error {
	return Drop(ctx, store.ForTenant(a.st, tenant), subject, reason, "", a.now())
}

// Renewed keeps the newest tokens of a sign-in or session refresh for users
// who have a token kept (an auth.RenewedFunc): providers rotate refresh
// tokens, and the kept one may be the one just replaced or belong to a
// session that ends (a logout at the provider revokes it there). Users without one are left
// alone: nothing is kept for those who did not turn reminders on.
func (a *Access) Renewed(ctx context.Context, tenant, subject string, _, renewed auth.Tokens) {
	if !a.Enabled(tenant) || renewed.Refresh == "" {
		return
	}
	g, err := a.load(ctx, tenant, subject)
	if err != nil {
		return
	}
	g.Refresh, g.Access, g.Expiry = renewed.Refresh, renewed.Access, renewed.Expiry
	_ = a.save(ctx, tenant, subject, g) // best effort: the next refresh tries again
}

// Follow keeps or forgets subject's refresh token after they turned
// reminders on or off in settings. A tenant without offline_access, or a
// session without a refresh token, is no error: reminders then run while
// the person's session lives. A nil Access does nothing.
func (a *Access) Follow(ctx context.Context, tenant, subject, refreshToken string, on bool) error {
	if a == nil || !a.Enabled(tenant) {
		return nil
	}
	if !on {
		return a.Forget(ctx, tenant, subject, OptOut)
	}
	if err := a.Keep(ctx, tenant, subject, refreshToken); err != nil && !errors.Is(err, ErrNoToken) {
		return err
	}
	return nil
}
