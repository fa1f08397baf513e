package accounts

import (
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Resolvers builds the resolver of each tenant, by tenant id: app
// passwords in the tenant's part of st, sealed by sealer; tokens of
// sources with auth: exchange exchanged by xchg[tenant id]. The web layer
// and the background workers (reminders) use the same ones.
func Resolvers(tenants []*config.Tenant, st store.Store, sealer *auth.Sealer, xchg map[string]Exchanger) map[string]*Resolver {
	out := make(map[string]*Resolver, len(tenants))
	for _, t := range tenants {
		r := NewResolver(t, New(store.ForTenant(st, t.ID), t.ID, sealer))
		if x, ok := xchg[t.ID]; ok {
			r.WithExchanger(x)
		}
		out[t.ID] = r
	}
	return out
}
