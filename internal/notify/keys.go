// Package notify connects web push to Pforte's tenants and users: each
// tenant's VAPID keys, the devices employees subscribed, and quiet hours.
// The protocol itself (encryption, VAPID, delivery) is internal/push.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

const vapidKey = "push:vapid"

// storedKeys is the persisted pair; the private key is sealed.
type storedKeys struct {
	Public  string `json:"public"`
	Private []byte `json:"private"`
}

// Keys returns the tenant's VAPID keys: from config when given, else the
// pair generated once and kept in the store. It never silently makes a new
// pair for an existing tenant (that would break every subscription): when
// two instances start at once, SetNX lets exactly one pair win.
func Keys(ctx context.Context, st store.Store, tenant string, cfg config.TenantPush, sealer *auth.Sealer) (*push.VAPIDKeys, error) {
	if cfg.VAPIDPrivateKey != "" {
		k, err := push.ParseVAPIDKeys(cfg.VAPIDPrivateKey, cfg.VAPIDPublicKey)
		if err != nil {
			return nil, fmt.Errorf("notify: tenant %s push.vapid keys: %w", tenant, err)
		}
		return k, nil
	}
	if k, err := loadKeys(ctx, st, tenant, sealer); err == nil {
		return k, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	_, raw, err := newSealedKeys(tenant, sealer)
	if err != nil {
		return nil, err
	}
	if _, err := st.SetNX(ctx, vapidKey, raw, 0); err != nil {
		return nil, fmt.Errorf("notify: save VAPID keys: %w", err)
	}
	return loadKeys(ctx, st, tenant, sealer) // whichever pair won
}

// Rotate replaces the stored pair (the explicit `pforte vapid rotate`).
// Browsers re-subscribe with the new key on their next visit.
func Rotate(ctx context.Context, st store.Store, tenant string, sealer *auth.Sealer) (*push.VAPIDKeys, error) {
	fresh, raw, err := newSealedKeys(tenant, sealer)
	if err != nil {
		return nil, err
	}
	if err := st.Set(ctx, vapidKey, raw, 0); err != nil {
		return nil, fmt.Errorf("notify: save VAPID keys: %w", err)
	}
	return fresh, nil
}

// newSealedKeys generates a pair and its stored form (private key sealed).
func newSealedKeys(tenant string, sealer *auth.Sealer) (*push.VAPIDKeys, []byte, error) {
	k, err := push.GenerateVAPIDKeys()
	if err != nil {
		return nil, nil, fmt.Errorf("notify: generate VAPID keys: %w", err)
	}
	raw, err := json.Marshal(storedKeys{Public: k.PublicKey(), Private: sealer.Seal([]byte(k.PrivateKey()), []byte("vapid:"+tenant))})
	if err != nil {
		return nil, nil, fmt.Errorf("notify: encode VAPID keys: %w", err)
	}
	return k, raw, nil
}

func loadKeys(ctx context.Context, st store.Store, tenant string, sealer *auth.Sealer) (*push.VAPIDKeys, error) {
	raw, err := st.Get(ctx, vapidKey)
	if err != nil {
		return nil, err
	}
	var sk storedKeys
	if err := json.Unmarshal(raw, &sk); err != nil {
		return nil, fmt.Errorf("notify: stored VAPID keys: %w", err)
	}
	priv, err := sealer.Open(sk.Private, []byte("vapid:"+tenant))
	if err != nil {
		return nil, fmt.Errorf("notify: stored VAPID key does not open (was secret_key changed?): %w", err)
	}
	k, err := push.ParseVAPIDKeys(string(priv), sk.Public)
	if err != nil {
		return nil, fmt.Errorf("notify: stored VAPID keys: %w", err)
	}
	return k, nil
}
