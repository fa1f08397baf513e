package config

import (
	"errors"
	"strings"
	"testing"
)

const openDeskTenant = `
secret_key: ${SECRET}
tenants:
  - id: a
    hosts: [a.example]
    name: A
    oidc: {issuer: https://id.a.example/realms/staff, client_id: pforte, client_secret: x}
`

// A tenant using the central navigation and Nextcloud notifications is
// accepted, with the username claim's default.
func TestOpenDeskSectionsAccepted(t *testing.T) {
	cfg, err := Parse([]byte(openDeskTenant+`    navigation: {url: "https://portal.a.example/univention/portal/navigation.json", secret: ${PORTAL_SECRET}}
    notifications: {url: "https://cloud.a.example", auth: bearer, web_url: "https://cloud.a.example/apps/notifications"}
`), t.TempDir(), env(map[string]string{"SECRET": testKey, "PORTAL_SECRET": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.Tenants[0].Navigation
	if n.Secret != "s3cret" || n.NavigationUsernameClaim() != "preferred_username" || cfg.Tenants[0].Notifications.Auth != "bearer" {
		t.Errorf("navigation %+v, notifications %+v", n, cfg.Tenants[0].Notifications)
	}
}

// Each mistake is named with its field and a fix.
func TestOpenDeskSectionsProblems(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"navigation without secret", `    navigation: {url: "https://portal.a.example/univention/portal/navigation.json"}`,
			[]string{"tenants[0].navigation.secret: is required: the portal's shared secret"}},
		{"navigation url", `    navigation: {url: "ftp://portal.a.example/navigation.json", secret: s, username_claim: uid}`,
			[]string{"tenants[0].navigation.url: \"ftp://portal.a.example/navigation.json\" must be an absolute https URL",
				`tenants[0].navigation.username_claim: "uid" is not allowed: use one of preferred_username, email, sub`}},
		{"navigation not navigation.json", `    navigation: {url: "https://portal.a.example/univention/portal/", secret: s}`,
			[]string{"tenants[0].navigation.url: must end in /navigation.json"}},
		{"notifications", `    notifications: {url: "cloud.a.example", auth: token, web_url: "javascript:x"}`,
			[]string{"tenants[0].notifications.url: \"cloud.a.example\" must be an absolute https URL",
				`tenants[0].notifications.auth: "token" is not allowed: use one of bearer, password, exchange`,
				"tenants[0].notifications.web_url:"}},
		{"notifications exchange without audience", `    notifications: {url: "https://cloud.a.example", auth: exchange}`,
			[]string{"tenants[0].notifications.audience: is required with auth: exchange"}},
		{"notifications without url", `    notifications: {auth: password}`,
			[]string{"tenants[0].notifications.url: is required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(openDeskTenant+c.yaml+"\n"), t.TempDir(), env(map[string]string{"SECRET": testKey}))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v; want Problems", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in\n%v", w, err)
				}
			}
			if len(ps) != len(c.want) {
				t.Errorf("%d problems; want %d:\n%v", len(ps), len(c.want), err)
			}
		})
	}
}
