package offline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// grantTTL bounds how long an unused token stays: a provider's offline
// tokens expire too (Keycloak: 30 days idle by default), and a token that
// no reminder used for that long is not kept without reason.
const grantTTL = 30 * 24 * time.Hour

// grant is what is kept per user, sealed as a whole (key offline:<sub>).
type grant struct {
	Refresh string    `json:"refresh"`
	Access  string    `json:"access,omitempty"`
	Expiry  time.Time `json:"expiry,omitzero"`
	KeptAt  time.Time `json:"kept_at"`
}

func grantKey(subject string) string { return "offline:" + subject }

// sealed is the tenant's store with values sealed, bound to tenant and key:
// a token copied to another user or tenant does not open.
func (a *Access) sealed(tenant string) store.Store {
	return store.Sealed(store.ForTenant(a.st, tenant), a.sealer, "offline|"+tenant)
}

func (a *Access) load(ctx context.Context, tenant, subject string) (grant, error) {
	raw, err := a.sealed(tenant).Get(ctx, grantKey(subject))
	if errors.Is(err, store.ErrNotFound) {
		return grant{}, ErrNotKept
	}
	if err != nil {
		return grant{}, fmt.Errorf("offline: load: %w", err)
	}
	var g grant
	if err := json.Unmarshal(raw, &g); err != nil || g.Refresh == "" {
		return grant{}, ErrNotKept
	}
	return g, nil
}

func (a *Access) save(ctx context.Context, tenant, subject string, g grant) error {
	raw, err := json.Marshal(g)
	if err != nil {
		return fmt.Errorf("offline: save: %w", err)
	}
	if err := a.sealed(tenant).Set(ctx, grantKey(subject), raw, grantTTL); err != nil {
		return fmt.Errorf("offline: save: %w", err)
	}
	return nil
}
