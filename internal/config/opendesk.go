package config

import (
	"net/url"
	"strings"
)

// Navigation is a tenant's central navigation: the app menu every openDesk
// app shows, read from the Univention/Nubus portal's navigation.json.
type Navigation struct {
	// URL is the portal's .../univention/portal/navigation.json.
	URL string `yaml:"url"`
	// Secret is the portal's shared secret (its portal-secret-file); Pforte
	// sends it as the password of HTTP Basic "<username>:<secret>".
	Secret string `yaml:"secret"`
	// UsernameClaim names the sign-in claim that is the portal's user name
	// (default preferred_username).
	UsernameClaim string `yaml:"username_claim"`
}

// Notifications is a Nextcloud's notifications app, read through its OCS
// API as a dashboard source.
type Notifications struct {
	URL      string `yaml:"url"`      // the Nextcloud, e.g. https://cloud.city.example
	Auth     string `yaml:"auth"`     // bearer | password | exchange
	Audience string `yaml:"audience"` // the client id a token is exchanged for (auth: exchange)
	WebURL   string `yaml:"web_url"`  // where "all notifications" opens
}

// UsernameClaims are the sign-in claims a navigation username_claim may name.
var UsernameClaims = []string{"preferred_username", "email", "sub"}

// NavigationUsernameClaim is n's username claim with its default.
func (n *Navigation) NavigationUsernameClaim() string {
	if n.UsernameClaim == "" {
		return "preferred_username"
	}
	return n.UsernameClaim
}

// validateOpenDesk checks the sections that plug Pforte into openDesk.
func (t *Tenant) validateOpenDesk(p string) Problems {
	var ps Problems
	if n := t.Navigation; n != nil {
		np := p + ".navigation"
		if n.URL == "" {
			ps.add(np+".url", "is required: the portal's navigation.json, e.g. https://portal.city.example/univention/portal/navigation.json")
		} else {
			checkURL(&ps, np+".url", n.URL, false)
			if u, err := url.Parse(n.URL); err == nil && !strings.HasSuffix(u.Path, "/navigation.json") {
				ps.add(np+".url", "must end in /navigation.json (the Nubus portal's .../univention/portal/navigation.json)")
			}
		}
		if n.Secret == "" {
			ps.add(np+".secret", "is required: the portal's shared secret (portal-secret-file); write secret: ${PFORTE_PORTAL_SECRET}")
		}
		oneOf(&ps, np+".username_claim", n.NavigationUsernameClaim(), UsernameClaims...)
	}
	if n := t.Notifications; n != nil {
		np := p + ".notifications"
		if n.URL == "" {
			ps.add(np+".url", "is required: the Nextcloud address, e.g. https://cloud.city.example")
		} else {
			checkURL(&ps, np+".url", n.URL, false)
		}
		oneOf(&ps, np+".auth", n.Auth, "bearer", "password", "exchange")
		t.needsOIDC(&ps, np+".auth", n.Auth)
		t.checkAudience(&ps, np, n.Auth, n.Audience)
		checkURL(&ps, np+".web_url", n.WebURL, false)
	}
	return ps
}
