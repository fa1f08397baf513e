package main

import (
	"context"
	"net/http"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/exchange"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// exchangeTimeout bounds one token exchange; the source's own deadline
// (dashboard.source_timeout) usually ends it sooner.
const exchangeTimeout = 10 * time.Second

// exchangers builds the token exchanger of every tenant that signs in with
// OIDC: it exchanges at the tenant's token endpoint as Pforte's client and
// keeps the exchanged tokens sealed in the tenant's store.
func exchangers(cfg *config.Config, st store.Store, tenants *tenant.Registry, providers *auth.Providers) (map[string]accounts.Exchanger, error) {
	sealer, err := auth.NewSealer(cfg.SecretKey, "token exchange v1")
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: exchangeTimeout}
	out := map[string]accounts.Exchanger{}
	for _, t := range tenants.All() {
		if t.OIDC == nil {
			continue
		}
		id, oidc := t.ID, t.OIDC
		out[id] = exchange.New(exchange.Options{
			Store: store.ForTenant(st, id), Tenant: id, Sealer: sealer,
			ClientID: oidc.ClientID, ClientSecret: oidc.ClientSecret, HTTP: client,
			Endpoint: func(ctx context.Context) (string, error) {
				p, err := providers.For(ctx, id, oidc)
				if err != nil {
					return "", err
				}
				return p.TokenEndpoint(), nil
			},
		})
	}
	return out, nil
}
