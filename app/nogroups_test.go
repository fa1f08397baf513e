package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// A user whose provider sends no groups at all (a directory without a
// groups mapper) is in no group: they see announcements for everyone, never
// a group's, and have no admin rights.
func TestUserWithoutGroups(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	dora := browser(t)
	res, page := signIn(t, dora, app.URL, "/", "dora", "dora-pw")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Doris Lange") {
		t.Fatalf("dora's sign-in ended %d at %s; want the start page greeting Doris Lange", res.StatusCode, res.Request.URL)
	}
	secret := "Nur für hr " + unique()
	hrID := app.post(t, `{"title":"`+secret+`","body":"x","groups":["hr"]}`)
	admins := "Nur für Admins " + unique()
	app.post(t, `{"title":"`+admins+`","body":"x","groups":["it-admins"]}`)
	all := "Für alle " + unique()
	app.post(t, `{"title":"`+all+`","body":"x"}`)

	_, out := api(t, dora, http.MethodGet, app.URL+"/api/announcements", "", "", nil)
	if titles := titlesOf(out); !slices.Contains(titles, all) || slices.Contains(titles, secret) || slices.Contains(titles, admins) {
		t.Errorf("dora's announcements %v: want the one for everyone only", titles)
	}
	for _, p := range []string{"/", "/announcements", "/api/dashboard"} {
		_, page := do(t, dora, http.MethodGet, app.URL+p, nil, nil)
		if strings.Contains(page, secret) || strings.Contains(page, admins) || strings.Contains(page, hrID) {
			t.Errorf("dora's %s shows a group's announcement", p)
		}
	}

	page = pageOf(t, dora, app.URL)
	csrf := http.Header{"X-Csrf-Token": {csrfOf(t, page)}}
	if status, _ := api(t, dora, http.MethodPost, app.URL+"/api/announcements", "", `{"title":"x","body":"y"}`, csrf); status != http.StatusForbidden {
		t.Errorf("dora's POST = %d, want 403", status)
	}
	for _, p := range []string{"/admin/announcements", "/admin/audit"} {
		if res, _ := do(t, dora, http.MethodGet, app.URL+p, nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("dora opening %s = %d, want 403", p, res.StatusCode)
		}
	}
}
