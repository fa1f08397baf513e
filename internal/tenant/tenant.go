// Package tenant turns the configured cities into ready-to-serve tenants:
// resolved by host name, with their brand (theme CSS, logo) prepared once.
package tenant

import (
	"fmt"
	"net"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Tenant is one configured city with its prepared brand.
type Tenant struct {
	*config.Tenant
	Brand Brand
}

// Registry finds the tenant for a request's host. An unknown host finds
// nothing: Pforte never falls back to another tenant.
type Registry struct {
	byHost map[string]*Tenant // "host" or "host:port"
	list   []*Tenant
}

// NewRegistry prepares every tenant of cfg.
func NewRegistry(cfg *config.Config) (*Registry, error) {
	r := &Registry{byHost: map[string]*Tenant{}}
	for i := range cfg.Tenants {
		tc := &cfg.Tenants[i]
		brand, err := newBrand(cfg, tc)
		if err != nil {
			return nil, fmt.Errorf("tenant %s: %w", tc.ID, err)
		}
		t := &Tenant{Tenant: tc, Brand: brand}
		r.list = append(r.list, t)
		for _, h := range tc.Hosts {
			r.byHost[h] = t
		}
	}
	return r, nil
}

// ForHost returns the tenant for a Host header value (with or without a
// port). An entry with a port matches only that port; one without matches any.
func (r *Registry) ForHost(host string) (*Tenant, bool) {
	host = strings.ToLower(host)
	if t, ok := r.byHost[host]; ok {
		return t, true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	t, ok := r.byHost[host]
	return t, ok
}

// ByID returns the tenant with id.
func (r *Registry) ByID(id string) (*Tenant, bool) {
	for _, t := range r.list {
		if t.ID == id {
			return t, true
		}
	}
	return nil, false
}

// All returns every tenant in config order.
func (r *Registry) All() []*Tenant { return r.list }

// Configs are the tenants' configurations, in order.
func (r *Registry) Configs() []*config.Tenant {
	out := make([]*config.Tenant, len(r.list))
	for i, t := range r.list {
		out[i] = t.Tenant
	}
	return out
}
