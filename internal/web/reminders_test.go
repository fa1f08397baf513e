package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/reminders"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

func withCalendar(cfg *config.Config) {
	for i := range cfg.Tenants {
		cfg.Tenants[i].Calendar = &config.DAV{URL: "http://127.0.0.1:9/{user}/", Auth: "password"}
	}
}

// "Erinnerung vor Besprechungen": off until the person turns it on; the
// choice is stored for them (in their tenant only) and shown again; a
// wrong lead time is refused with the field named and nothing stored.
func TestReminderSettingsForm(t *testing.T) {
	ts := newTestServer(t, withCalendar)
	c := ts.client(hostA)
	c.signIn("employee")
	page := readBody(t, c.get("/settings"))
	for _, want := range []string{`id="reminders"`, `<legend>`, `name="lead" value="10" checked`, `name="scope" value="video" checked`, `Erinnerung vor Besprechungen`} {
		if !strings.Contains(page, want) {
			t.Fatalf("settings page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="rem-enabled" name="enabled" value="on" checked`) {
		t.Fatal("reminders are on before the person chose them")
	}
	subject := func() string {
		all, _ := reminders.NewPrefs(store.ForTenant(ts.st, "demo")).All(context.Background())
		for s := range all {
			return s
		}
		return ""
	}

	res := c.form("/settings/reminders", url.Values{"enabled": {"on"}, "lead": {"15"}, "scope": {"all"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings?saved=reminders#reminders" {
		t.Fatalf("save: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	page = readBody(t, c.get("/settings?saved=reminders"))
	for _, want := range []string{`id="rem-enabled" name="enabled" value="on" checked`, `name="lead" value="15" checked`, `name="scope" value="all" checked`, "Gespeichert."} {
		if !strings.Contains(page, want) {
			t.Errorf("after saving, the page lacks %q", want)
		}
	}
	p, err := reminders.NewPrefs(store.ForTenant(ts.st, "demo")).Get(context.Background(), subject())
	if err != nil || !p.Enabled || p.Lead != 15 || p.Scope != reminders.ScopeAll {
		t.Fatalf("stored %+v (%v), want on, 15 min, all meetings", p, err)
	}
	if all, _ := reminders.NewPrefs(store.ForTenant(ts.st, "other")).All(context.Background()); len(all) != 0 {
		t.Fatalf("the other tenant holds reminder settings: %v", all)
	}

	res = c.form("/settings/reminders", url.Values{"enabled": {"on"}, "lead": {"7"}, "scope": {"video"}})
	page = readBody(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `aria-describedby="rem-lead-err"`) ||
		!strings.Contains(page, "Bitte wählen Sie 5, 10 oder 15 Minuten.") || !strings.Contains(page, `name="scope" value="video" checked`) {
		t.Fatalf("lead 7: %d, want 422 with the lead field's error and the choice kept", res.StatusCode)
	}
	if p, _ := reminders.NewPrefs(store.ForTenant(ts.st, "demo")).Get(context.Background(), subject()); p.Lead != 15 || p.Scope != reminders.ScopeAll {
		t.Fatalf("a refused form changed the stored setting to %+v", p)
	}
	if res := c.form("/settings/reminders", url.Values{"enabled": {"on"}, "lead": {"5"}, "scope": {"all"}, "_csrf": {"forged"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("forged CSRF token: %d, want 403", res.StatusCode)
	}

	if res := c.form("/settings/reminders", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turning off: %d", res.StatusCode)
	}
	if s := subject(); s != "" {
		t.Fatalf("turned off, but a setting is still stored for %s", s)
	}
}

// A tenant with reminders: {enabled: false} shows no section and takes
// no setting.
func TestReminderSettingsSwitchedOff(t *testing.T) {
	off := false
	ts := newTestServer(t, withCalendar, func(cfg *config.Config) { cfg.Tenants[0].Reminders.Enabled = &off })
	c := ts.client(hostA)
	c.signIn("employee")
	if page := readBody(t, c.get("/settings")); strings.Contains(page, `id="reminders"`) {
		t.Fatal("the settings page offers reminders the tenant switched off")
	}
	if res := c.form("/settings/reminders", url.Values{"enabled": {"on"}, "lead": {"10"}, "scope": {"all"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("POST with reminders switched off: %d, want 404", res.StatusCode)
	}
}
