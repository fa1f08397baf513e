package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// check-config accepts a tenant with the central navigation and Nextcloud
// notifications and names each mistake of a broken one with its fix.
func TestCheckConfigOpenDeskSections(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		return map[string]string{"PFORTE_SECRET_KEY": testSecret, "PORTAL_SECRET": "s3cret"}[k]
	}
	head := `
secret_key: ${PFORTE_SECRET_KEY}
tenants:
  - id: muenchen
    hosts: [portal.muenchen.example]
    name: Mitarbeiterportal München
    oidc: {issuer: "https://id.muenchen.example/realms/staff", client_id: pforte, client_secret: x}
`
	good := writeFile(t, dir, "good.yaml", head+`    navigation: {url: "https://portal.muenchen.example/univention/portal/navigation.json", secret: ${PORTAL_SECRET}}
    notifications: {url: "https://cloud.muenchen.example", auth: bearer, web_url: "https://cloud.muenchen.example/apps/notifications"}
`)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"check-config", good}, env, &out, &out); err != nil {
		t.Fatalf("valid openDesk tenant rejected: %v\n%s", err, out.String())
	}
	bad := writeFile(t, dir, "bad.yaml", head+`    navigation: {url: "http://portal.muenchen.example/univention/portal/navigation.json"}
    notifications: {url: "https://cloud.muenchen.example", auth: exchange}
`)
	out.Reset()
	err := run(context.Background(), []string{"check-config", bad}, env, &out, &out)
	if err == nil || exitCode(err) == 0 {
		t.Fatalf("check-config accepted a broken file:\n%s", out.String())
	}
	for _, want := range []string{
		"3 problem(s)",
		"tenants[0].navigation.url: must be an https URL (http only for localhost)",
		"tenants[0].navigation.secret: is required: the portal's shared secret (portal-secret-file); write secret: ${PFORTE_PORTAL_SECRET}",
		"tenants[0].notifications.audience: is required with auth: exchange",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
