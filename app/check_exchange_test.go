package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// check-config accepts an openDesk tenant (token exchange, {claim:NAME} in
// a URL) and names each mistake in a broken one with the field and fix.
func TestCheckConfigTokenExchange(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		if k == "PFORTE_SECRET_KEY" {
			return testSecret
		}
		return ""
	}
	check := func(yaml string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"check-config", writeFile(t, dir, "c.yaml", yaml)}, env, &out, &out)
		return out.String(), err
	}
	const head = `
secret_key: ${PFORTE_SECRET_KEY}
tenants:
  - id: opendesk
    hosts: [portal.opendesk.example]
    name: Mitarbeiterportal
    oidc: {issuer: "https://id.opendesk.example/realms/opendesk", client_id: pforte, client_secret: x}
`
	out, err := check(head + `
    mail: {imap: "imap.opendesk.example:993", tls: implicit, auth: exchange, audience: opendesk-dovecot}
    calendar: {url: "https://files.opendesk.example/remote.php/dav/calendars/{claim:opendesk_objectid}/", auth: exchange, audience: opendesk-nextcloud}
    files: {url: "https://files.opendesk.example/remote.php/dav/files/{claim:opendesk_objectid}/", auth: exchange, audience: opendesk-nextcloud}
`)
	if err != nil || !strings.Contains(out, "ok (1 tenant(s))") {
		t.Fatalf("a valid openDesk tenant was refused: %v\n%s", err, out)
	}

	out, err = check(head + `
    mail: {imap: "imap.opendesk.example:993", tls: implicit, auth: exchange}
    calendar: {url: "https://files.opendesk.example/dav/{claim:}/{claim:a b}/", auth: bearer, audience: opendesk-nextcloud}
    files: {url: "https://files.opendesk.example/dav/{foo}/", auth: exchange, audience: opendesk-nextcloud}
  - id: plain
    hosts: [portal.plain.example]
    name: Portal ohne Anmeldung
    files: {url: "https://files.plain.example/dav/{claim:opendesk_objectid}/", auth: password}
`)
	if err == nil {
		t.Fatalf("check-config accepted a broken file:\n%s", out)
	}
	for _, want := range []string{
		"tenants[0].mail.audience: is required with auth: exchange",
		`tenants[0].calendar.url: "{claim:}" is not a placeholder Pforte knows: use {user}`,
		`tenants[0].calendar.url: "{claim:a b}" is not a placeholder`,
		`tenants[0].files.url: "{foo}" is not a placeholder`,
		"tenants[0].calendar.audience: is only used with auth: exchange",
		"tenants[1].files.url: {claim:opendesk_objectid} takes a claim of the sign-in: it needs an oidc section",
		"6 problem(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
