package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const validYAML = `
listen: ":8080"
secret_key: ${SECRET}
store: {redis_url: "redis://127.0.0.1:6379/0"}
push: {subject: it-sicherheit@muenchen.example}
tenants:
  - id: muenchen
    hosts: [portal.muenchen.example, Portal.Muenchen.Example:8443]
    name: Mitarbeiterportal München
    theme: {primary_color: "#005a9c"}
    legal: {imprint_url: https://www.muenchen.example/impressum}
    oidc: {issuer: https://id.muenchen.example/realms/staff, client_id: pforte, client_secret: ${OIDC_SECRET}, admin_groups: [it-admins]}
    api_tokens: [{name: monitoring, sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]
    mail: {imap: "imap.muenchen.example:993", auth: bearer, web_url: "https://mail.muenchen.example/#!!&app=io.ox/mail"}
    calendar: {url: "https://dav.muenchen.example/caldav/{user}/", auth: bearer}
    files: {url: "https://cloud.muenchen.example/remote.php/dav/files/{user}/", auth: password, web_url: "https://cloud.muenchen.example/apps/files/?dir={dir}&openfile={fileid}"}
    apps: [{name: Chat, url: "https://chat.muenchen.example", icon: chat}]
`

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseValidFileAppliesDefaults(t *testing.T) {
	cfg, err := Parse([]byte(validYAML), t.TempDir(), env(map[string]string{
		"SECRET": testKey, "OIDC_SECRET": "abc", "PORT": "9000",
	}))
	if err != nil {
		t.Fatalf("valid file: %v", err)
	}
	tn := cfg.Tenants[0]
	checks := []struct{ name, got, want string }{
		{"PORT overrides listen", cfg.Listen, ":9000"},
		{"secret from env", cfg.SecretKey, testKey},
		{"client secret from env", tn.OIDC.ClientSecret, "abc"},
		{"default locale", tn.DefaultLocale, "de"},
		{"default timezone", tn.Location.String(), "Europe/Berlin"},
		{"short name defaults to the last word of a long name", tn.ShortName, "München"},
		{"hosts lowercased", tn.Hosts[1], "portal.muenchen.example:8443"},
		{"groups claim default", tn.OIDC.GroupsClaim, "groups"},
		{"imap tls default", tn.Mail.TLS, "implicit"},
		{"source timeout default", cfg.Dashboard.SourceTimeout.String(), "4s"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestParseReportsEveryProblemWithPathAndFix(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string // "path: fragment"
	}{
		{"unset env var", "secret_key: ${NOPE}\ntenants: [{id: a, hosts: [a.example], name: A}]",
			[]string{"${NOPE}: is not set in the environment (line 1): export NOPE"}},
		{"typo in key", "secret_key: " + testKey + "\ntenants: [{id: a, hosts: [a.example], name: A, nmae: B}]",
			[]string{"tenants[0].nmae: unknown key; did you mean name?"}},
		{"unquoted colour", "secret_key: " + testKey + "\ntenants:\n  - id: a\n    hosts: [a.example]\n    name: A\n    theme:\n      primary_color: #007a3d\n",
			[]string{`tenants[0].theme.primary_color: is empty because # starts a YAML comment: quote it: primary_color: "#007a3d"`}},
		{"listen port", "listen: \":http\"\nsecret_key: " + testKey + "\ntenants: [{id: a, hosts: [a.example], name: A}]",
			[]string{`listen: ":http" is not host:port`}},
		{"no tenants", "secret_key: " + testKey, []string{"tenants: at least one tenant"}},
		{"short secret", "secret_key: short\ntenants: [{id: a, hosts: [a.example], name: A}]", []string{"secret_key: must be at least 32"}},
		{"duplicate host and id", "secret_key: " + testKey + `
tenants:
  - {id: a, hosts: [a.example], name: A}
  - {id: a, hosts: [a.example], name: B}`, []string{"tenants[1].id: \"a\" is already used", "tenants[1].hosts[0]: \"a.example\" is already a host of tenants[0]"}},
		{"bad sources", "secret_key: " + testKey + `
tenants:
  - id: a
    hosts: [a.example]
    name: A
    mail: {imap: imap.example, tls: ssl, auth: master, master_style: cyrus}
    files: {url: "ftp://x/{user}", auth: bearer}`, []string{
			"tenants[0].mail.imap: \"imap.example\" is not host:port",
			"tenants[0].mail.master_style: \"cyrus\" is not allowed: use one of separator, authzid",
			"tenants[0].mail.tls: \"ssl\" is not allowed: use one of implicit, starttls, none",
			"tenants[0].mail: auth: master needs master_user and master_password",
			"tenants[0].files.url:",
			"tenants[0].files.auth: bearer passes the user's sign-in token on: it needs an oidc section",
		}},
		{"metrics keys", "secret_key: " + testKey + "\nlisten: \":3000\"\nmetrics_listen: \":3000\"\nmetrics_token: short\n" +
			"tenants: [{id: a, hosts: [a.example], name: A}]", []string{
			"metrics_listen: must differ from listen",
			"metrics_token: must be at least 16 bytes",
		}},
		{"metrics_listen not an address", "secret_key: " + testKey + "\nmetrics_listen: metrics\ntenants: [{id: a, hosts: [a.example], name: A}]",
			[]string{`metrics_listen: "metrics" is not host:port`}},
		{"bad api token and colour", "secret_key: " + testKey + `
tenants:
  - id: a
    hosts: [a.example]
    name: A
    theme: {primary_color: red, logo: missing.svg}
    api_tokens: [{name: x, sha256: abc}]`, []string{
			"tenants[0].theme.primary_color: \"red\" is not a colour",
			"tenants[0].theme.logo: \"missing.svg\" not found",
			"tenants[0].api_tokens[0].sha256: must be 64 hex characters",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml), t.TempDir(), env(nil))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want Problems", err)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("missing %q in:\n%s", w, msg)
				}
			}
		})
	}
}

func TestLoadResolvesAssetsRelativeToConfigFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "logo.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "pforte.yaml")
	yml := "secret_key: " + testKey + "\ntenants: [{id: a, hosts: [a.example], name: A, theme: {logo: logo.svg}}]\n"
	if err := os.WriteFile(p, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p, env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := cfg.AssetPath("logo.svg"); got != filepath.Join(dir, "logo.svg") {
		t.Errorf("AssetPath = %q", got)
	}
}

// An unset variable used twice is one problem naming it, not also a
// "secret too short" or "client_secret required" for the empty values.
func TestUnsetVariableReportedOnce(t *testing.T) {
	_, err := Parse([]byte(`secret_key: ${PFORTE_SECRET}
tenants:
  - id: a
    hosts: [a.example]
    name: A
    oidc: {issuer: "https://id.example", client_id: x, client_secret: "${PFORTE_SECRET}"}
`), t.TempDir(), env(nil))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].String() != "${PFORTE_SECRET}: is not set in the environment (lines 1, 6): export PFORTE_SECRET or remove the reference" {
		t.Errorf("got %v, want one problem naming ${PFORTE_SECRET} and both lines", err)
	}
}
