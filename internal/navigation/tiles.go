package navigation

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Menus are the central navigations of every tenant that has one.
type Menus struct {
	byTenant map[string]*Service
	log      *slog.Logger
}

// NewMenus builds each tenant's Service once at start; st is the shared
// store (each tenant gets its own prefix); now is the clock that says
// when a menu is no longer fresh.
func NewMenus(tenants []config.Tenant, st store.Store, client *http.Client, timeout time.Duration, now func() time.Time, log *slog.Logger) (*Menus, error) {
	m := &Menus{byTenant: map[string]*Service{}, log: log}
	for i := range tenants {
		t := &tenants[i]
		if t.Navigation == nil {
			continue
		}
		s, err := New(Options{Config: t.Navigation, Store: store.ForTenant(st, t.ID), HTTPClient: client,
			Logger: log.With("tenant", t.ID), Timeout: timeout, Now: now})
		if err != nil {
			return nil, err
		}
		m.byTenant[t.ID] = s
	}
	return m, nil
}

// Of is tenant's Service, nil when it has no central navigation.
func (m *Menus) Of(tenant string) *Service {
	if m == nil {
		return nil
	}
	return m.byTenant[tenant]
}

// Claims are the sign-in claims a username_claim may name
// (config.UsernameClaims), for Tiles.
func Claims(username, email, subject string) func(string) string {
	m := map[string]string{"preferred_username": username, "email": email, "sub": subject}
	return func(n string) string { return m[n] }
}

// Tiles are a user's app tiles in lang: the central navigation when the
// tenant has one (claim gives the sign-in claim the portal knows the user
// by), else — or when the portal never answered for them — the tenant's
// apps list.
func (m *Menus) Tiles(ctx context.Context, t *config.Tenant, claim func(string) string, lang string) []dashboard.App {
	s := m.Of(t.ID)
	if s == nil {
		return dashboard.AppsOf(t.Apps, lang)
	}
	menu, err := s.Menu(ctx, claim("sub"), claim(t.Navigation.NavigationUsernameClaim()), lang)
	if err != nil {
		m.log.Warn("navigation: no menu, showing the apps list", "tenant", t.ID, "err", err)
		return dashboard.AppsOf(t.Apps, lang)
	}
	out := []dashboard.App{}
	for _, c := range menu.Categories {
		for _, e := range c.Entries {
			out = append(out, dashboard.App{Name: e.Name, URL: e.Link, IconURL: e.Icon, Category: c.Name, Target: e.Target})
		}
	}
	return out
}
