package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// "Konten verbinden": an app password is stored for a source with auth:
// password, never shown again, and the dashboard fetches again at once.
func TestConnectAndDisconnectAnAppPassword(t *testing.T) {
	addr := startIMAP(t, "e.mustermann", "app-secret-1")
	ts := newTestServer(t, func(cfg *config.Config) {
		cfg.Tenants[0].Mail = &config.Mail{IMAP: addr, TLS: "none", Auth: "password"}
	})
	c := ts.client(hostA)
	c.signIn("employee")
	mailKind := func() string {
		var d dashboardDoc
		decode(t, c.get("/api/dashboard"), &d)
		return d.Mail.ErrorKind
	}
	if k := mailKind(); k != "not_set_up" {
		t.Fatalf("before connecting: mail %q, want not_set_up", k)
	}
	page := readBody(t, c.get("/settings"))
	if !strings.Contains(page, `action="/settings/accounts/mail"`) || strings.Contains(page, `action="/settings/accounts/calendar"`) {
		t.Fatal("settings should offer an app password for mail (auth: password) and nothing for unconfigured sources")
	}

	res := c.form("/settings/accounts/mail", url.Values{"username": {"e.mustermann"}, "password": {"app-secret-1"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings?saved=mail" {
		t.Fatalf("connect: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	page = readBody(t, c.get("/settings"))
	if !strings.Contains(page, "(e.mustermann)") || strings.Contains(page, "app-secret-1") {
		t.Error("settings should show the connected login and never the password")
	}
	// The cached snapshot was dropped: now the mailbox is read with the password.
	var d dashboardDoc
	decode(t, c.get("/api/dashboard"), &d)
	if d.Mail.Status != "ok" {
		t.Errorf("after connecting: mail %q %q, want ok (read with the stored password)", d.Mail.Status, d.Mail.ErrorKind)
	}
	// A wrong password is tried, refused and not stored.
	res = c.form("/settings/accounts/mail", url.Values{"username": {"e.mustermann"}, "password": {"wrong"}})
	if loc := res.Header.Get("Location"); loc != "/settings?error=mail&reason=auth#acct-mail" {
		t.Errorf("wrong app password: %d %q, want refused with reason auth", res.StatusCode, loc)
	}

	if res := c.form("/settings/accounts/mail", url.Values{"username": {"x"}, "password": {""}}); res.Header.Get("Location") != "/settings?error=mail" {
		t.Errorf("empty password: %d %q, want back to settings with an error", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.form("/settings/accounts/calendar", url.Values{"username": {"x"}, "password": {"y"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a source without app passwords: %d, want 404", res.StatusCode)
	}
	if res := c.form("/settings/accounts/mail", url.Values{"username": {"x"}, "password": {"y"}, "_csrf": {"forged"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("forged CSRF token: %d, want 403", res.StatusCode)
	}

	if res := c.form("/settings/accounts/mail/delete", url.Values{}); res.Header.Get("Location") != "/settings?confirm=mail#acct-mail" {
		t.Fatalf("disconnect without confirm: %d %q, want the question first", res.StatusCode, res.Header.Get("Location"))
	}
	if k := mailKind(); k != "" {
		t.Errorf("after only asking: mail error %q, want still connected", k)
	}
	if res := c.form("/settings/accounts/mail/delete", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disconnect: %d", res.StatusCode)
	}
	if k := mailKind(); k != "not_set_up" {
		t.Errorf("after disconnecting: mail %q, want not_set_up", k)
	}
}

// With auth: master nobody enters a password: the settings page says so
// and refuses app passwords; the dashboard logs in with the master user.
func TestMasterLoginNeedsNoAppPassword(t *testing.T) {
	ts := newTestServer(t, withMail("master"), func(cfg *config.Config) {
		cfg.Tenants[0].Mail.MasterUser, cfg.Tenants[0].Mail.MasterPassword = "portal", "master-pw"
	})
	c := ts.client(hostA)
	c.signIn("employee")
	page := readBody(t, c.get("/settings"))
	if strings.Contains(page, `action="/settings/accounts/mail"`) {
		t.Error("settings offer an app password for a master-login source")
	}
	if res := c.form("/settings/accounts/mail", url.Values{"username": {"x"}, "password": {"y"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("app password for a master-login source: %d, want 404", res.StatusCode)
	}
	var d dashboardDoc
	decode(t, c.get("/api/dashboard"), &d)
	if d.Mail.ErrorKind != "unreachable" {
		t.Errorf("mail with the master login: %q, want unreachable (it tried the server)", d.Mail.ErrorKind)
	}
}
