package main

import (
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// newBackgroundAccess builds the reminders' background access (refresh
// tokens of opted-in users in tenants with oidc.offline_access), sealed
// under a key of its own, and lets every session refresh keep the newest
// token of those users.
func newBackgroundAccess(cfg *config.Config, st store.Store, ps *auth.Providers) (*offline.Access, error) {
	sealer, err := auth.NewSealer(cfg.SecretKey, "offline refresh token v1")
	if err != nil {
		return nil, err
	}
	tenants := map[string]*config.OIDC{}
	for i := range cfg.Tenants {
		tenants[cfg.Tenants[i].ID] = cfg.Tenants[i].OIDC
	}
	a := offline.New(st, sealer, ps, tenants, time.Now)
	ps.OnRenewed(a.Renewed)
	return a, nil
}
