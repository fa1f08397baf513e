package auth

import (
	"context"
	"net/http"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Providers holds one Provider per tenant, created on first use and retried
// on the next sign-in when the provider was down: Pforte starts even when a
// city's Keycloak does not answer. Providers of different tenants never mix.
type Providers struct {
	client  *http.Client
	now     func() time.Time
	renewed RenewedFunc // nil: nobody listens

	mu    sync.Mutex
	byTen map[string]*Provider
}

// NewProviders uses client (with a timeout) for every provider request.
func NewProviders(client *http.Client, now func() time.Time) *Providers {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	if now == nil {
		now = time.Now
	}
	return &Providers{client: client, now: now, byTen: map[string]*Provider{}}
}

// For returns the tenant's provider, discovering it if needed.
func (ps *Providers) For(ctx context.Context, tenantID string, cfg *config.OIDC) (*Provider, error) {
	ps.mu.Lock()
	p, ok := ps.byTen[tenantID]
	ps.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := newProvider(ctx, cfg, ps.client, ps.now)
	if err != nil {
		return nil, err
	}
	p.tenant, p.owner = tenantID, ps
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if existing, ok := ps.byTen[tenantID]; ok {
		return existing, nil
	}
	ps.byTen[tenantID] = p
	return p, nil
}
