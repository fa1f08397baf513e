package main

import (
	"context"
	"fmt"
	"io"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// vapidRotate replaces a tenant's stored VAPID key pair: the explicit step
// an operator takes (e.g. after a key leaked). Pages compare the key their
// subscription was made with and subscribe again on the next visit.
func vapidRotate(ctx context.Context, configPath string, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: vapid-rotate needs the tenant id: pforte --config FILE vapid-rotate TENANT", errUsage)
	}
	cfg, err := loadConfig(configPath, getenv)
	if err != nil {
		return err
	}
	tenantID := args[0]
	found := false
	for _, t := range cfg.Tenants {
		if t.ID == tenantID {
			found = true
			if t.Push.VAPIDPrivateKey != "" {
				return fmt.Errorf("vapid-rotate: tenant %s has its keys in the config (push.vapid_*): change them there", tenantID)
			}
		}
	}
	if !found {
		return fmt.Errorf("%w: no tenant %q in the config", errUsage, tenantID)
	}
	st, err := store.Open(ctx, cfg.Store.RedisURL, cfg.Store.DataDir, newLogger(io.Discard, getenv))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer st.Close()
	sealer, err := auth.NewSealer(cfg.SecretKey, "vapid v1")
	if err != nil {
		return err
	}
	k, err := notify.Rotate(ctx, store.ForTenant(st, tenantID), tenantID, sealer)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "tenant %s: new VAPID public key %s\nrunning instances pick it up when restarted; browsers re-subscribe on their next visit\n", tenantID, k.PublicKey())
	return nil
}
