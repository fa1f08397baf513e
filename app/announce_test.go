package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Who may write: the tenant's own token and signed-in admins (with CSRF).
// Another tenant's token or a wrong one gets 401, a signed-in employee 403,
// and a malformed body 400 naming the field.
func TestAnnouncementAPIAccess(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	body := `{"title":"Wartung","body":"Heute **20 Uhr**"}`
	u := app.URL + "/api/announcements"

	for name, tok := range map[string]string{"another tenant's token": app.OtherToken, "a wrong token": "nope"} {
		if status, out := api(t, nil, http.MethodPost, u, tok, body, nil); status != http.StatusUnauthorized {
			t.Errorf("POST with %s = %d %v, want 401", name, status, out)
		}
	}
	// Without a token or session the CSRF check refuses first.
	if status, _ := api(t, nil, http.MethodPost, u, "", body, nil); status != http.StatusForbidden {
		t.Errorf("POST without anything = %d, want 403", status)
	}
	// The other tenant's token works on its own host, and its announcement
	// never shows on this one.
	if status, _ := api(t, nil, http.MethodPost, app.Other+"/api/announcements", app.OtherToken, `{"title":"Nur drüben","body":"x"}`, nil); status != http.StatusCreated {
		t.Fatalf("the other tenant's token on its own host = %d, want 201", status)
	}

	cases := []struct{ body, field string }{
		{`{"title":"x","body":"y","severity":"urgent"}`, "severity"},
		{`{"body":"y"}`, "title"},
		{`{"title":"x","body":"y","groups":"hr"}`, "groups"},
		{`{"title":"x","body":"y","publish_at":"morgen"}`, "publish_at"},
		{`{"title":"x","body":"y","translations":{"en":{"title":3}}}`, "translations.en.title"},
		{`{"title":"x",`, "body"},
	}
	for _, c := range cases {
		status, out := api(t, nil, http.MethodPost, u, app.Token, c.body, nil)
		msg, _ := out["error"].(string)
		if status != http.StatusBadRequest || !strings.HasPrefix(msg, c.field+":") {
			t.Errorf("POST %s = %d %q, want 400 naming %q", c.body, status, msg, c.field)
		}
	}

	id := app.post(t, body)
	if status, out := api(t, nil, http.MethodPatch, u+"/"+id, app.OtherToken, `{"severity":"critical"}`, nil); status != http.StatusUnauthorized {
		t.Errorf("PATCH with another tenant's token = %d %v, want 401", status, out)
	}
	if status, out := api(t, nil, http.MethodDelete, u+"/"+id, "wrong", "", nil); status != http.StatusUnauthorized {
		t.Errorf("DELETE with a wrong token = %d %v, want 401", status, out)
	}
	if status, out := api(t, nil, http.MethodPatch, u+"/"+id, app.Token, `{"severity":"critical"}`, nil); status != http.StatusOK || out["severity"] != "critical" {
		t.Errorf("PATCH = %d %v, want 200 critical", status, out)
	}

	// carol is signed in but no admin: 403 with a valid CSRF token.
	carol := browser(t)
	_, page := signIn(t, carol, app.URL, "/", "carol", "carol-pw")
	csrf := http.Header{"X-Csrf-Token": {csrfOf(t, page)}}
	if status, _ := api(t, carol, http.MethodPost, u, "", body, csrf); status != http.StatusForbidden {
		t.Errorf("carol's POST = %d, want 403", status)
	}
	if status, _ := api(t, carol, http.MethodDelete, u+"/"+id, "", "", csrf); status != http.StatusForbidden {
		t.Errorf("carol's DELETE = %d, want 403", status)
	}
	if res, _ := do(t, carol, http.MethodGet, app.URL+"/admin/announcements", nil, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("carol opening the admin list = %d, want 403", res.StatusCode)
	}

	// bob is an admin: his session writes with CSRF, not without.
	bob := browser(t)
	_, page = signIn(t, bob, app.URL, "/", "bob", "bob-pw")
	if status, _ := api(t, bob, http.MethodPost, u, "", body, nil); status != http.StatusForbidden {
		t.Errorf("bob's POST without CSRF token = %d, want 403", status)
	}
	status, out := api(t, bob, http.MethodPost, u, "", `{"title":"Von Bob","body":"x"}`, http.Header{"X-Csrf-Token": {csrfOf(t, page)}})
	if status != http.StatusCreated || out["author"] != "Bob Becker (bob)" && !strings.Contains(out["author"].(string), "bob") {
		t.Errorf("bob's POST = %d %v, want 201 by bob", status, out)
	}
	status, out = api(t, bob, http.MethodDelete, u+"/"+id, "", "", http.Header{"X-Csrf-Token": {csrfOf(t, page)}})
	if status != http.StatusOK || out["status"] != "withdrawn" {
		t.Errorf("bob's DELETE = %d %v, want 200 withdrawn", status, out)
	}

	// The token's list holds this tenant's announcements only.
	_, out = api(t, nil, http.MethodGet, u, app.Token, "", nil)
	if titles := titlesOf(out); slices.Contains(titles, "Nur drüben") || !slices.Contains(titles, "Von Bob") {
		t.Errorf("the token's list %v: want this tenant's, never the other's", titles)
	}
	// The audit log names who did what.
	res, audit := do(t, bob, http.MethodGet, app.URL+"/admin/audit", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(audit, "api:monitoring") || !strings.Contains(audit, "zurückgezogen") {
		t.Errorf("audit log %d lacks the token's and bob's actions:\n%s", res.StatusCode, audit)
	}

	// The API describes itself.
	status, doc := api(t, nil, http.MethodGet, app.URL+"/api/openapi.json", "", "", nil)
	paths, _ := doc["paths"].(map[string]any)
	if status != http.StatusOK || doc["openapi"] != "3.1.0" || paths["/api/announcements"] == nil || paths["/api/announcements/{id}"] == nil {
		t.Errorf("openapi.json = %d, openapi %v, paths %v", status, doc["openapi"], paths)
	}
}

// An hr announcement reaches alice (hr) and never carol (staff): not on the
// dashboard page, the archive, the API, the dashboard JSON or the live
// stream. alice's reading and acknowledgement show in the admin figures and
// the CSV report.
func TestAnnouncementTargetingEverywhere(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	alice, carol, bob := browser(t), browser(t), browser(t)
	signIn(t, alice, app.URL, "/", "alice", "alice-pw")
	signIn(t, carol, app.URL, "/", "carol", "carol-pw")
	signIn(t, bob, app.URL, "/", "bob", "bob-pw")

	aliceLive, carolLive := openAnnStream(t, alice, app.URL), openAnnStream(t, carol, app.URL)
	secret := "Gehaltsabrechnung " + unique()
	hrID := app.post(t, `{"title":"`+secret+`","body":"Nur **hr**","groups":["hr"],"requires_ack":true}`)
	all := "Neues Intranet " + unique()
	app.post(t, `{"title":"`+all+`","body":"Für alle"}`)

	// Live: alice gets both in order; carol's first event is the one for everyone.
	for _, want := range []string{secret, all} {
		ev, ok := nextAnnEvent(t, aliceLive, 10*time.Second)
		if !ok || ev.Name != "announcement" || !strings.Contains(ev.Data, want) {
			t.Fatalf("alice's stream: %+v (ok %v), want %q", ev, ok, want)
		}
	}
	ev, ok := nextAnnEvent(t, carolLive, 10*time.Second)
	if !ok || !strings.Contains(ev.Data, all) || strings.Contains(ev.Data, secret) {
		t.Fatalf("carol's stream: %+v (ok %v), want only %q", ev, ok, all)
	}

	for _, p := range []string{"/", "/announcements", "/announcements?q=Gehalt", "/api/announcements", "/api/dashboard"} {
		_, page := do(t, carol, http.MethodGet, app.URL+p, nil, nil)
		if strings.Contains(page, secret) || strings.Contains(page, hrID) {
			t.Errorf("carol's %s shows the hr announcement", p)
		}
		_, page = do(t, alice, http.MethodGet, app.URL+p, nil, nil)
		if !strings.Contains(page, secret) {
			t.Errorf("alice's %s lacks the hr announcement", p)
		}
	}
	if res, _ := do(t, carol, http.MethodPost, app.URL+"/announcements/"+hrID+"/ack", url.Values{"_csrf": {csrfOf(t, pageOf(t, carol, app.URL))}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("carol acknowledging the hr announcement = %d, want 404", res.StatusCode)
	}

	// alice acknowledges on her dashboard; the page then says so.
	home := pageOf(t, alice, app.URL)
	if !strings.Contains(home, `action="/announcements/`+hrID+`/ack"`) || !strings.Contains(home, "Zur Kenntnis genommen") {
		t.Fatalf("alice's dashboard has no acknowledge button for the hr announcement")
	}
	res, home := do(t, alice, http.MethodPost, app.URL+"/announcements/"+hrID+"/ack", url.Values{"_csrf": {csrfOf(t, home)}, "next": {"/"}}, nil)
	if res.StatusCode != http.StatusOK || strings.Contains(home, `action="/announcements/`+hrID+`/ack"`) || !strings.Contains(home, "Zur Kenntnis genommen am") {
		t.Errorf("after acknowledging: %d at %s; the button is still there or no confirmation shows", res.StatusCode, res.Request.URL)
	}

	// Admin figures: targeted = hr members seen so far (alice), read 1, acknowledged 1.
	_, detail := do(t, bob, http.MethodGet, app.URL+"/admin/announcements/"+hrID, nil, nil)
	if !regexp.MustCompile(`(?s)<svg class="chart".*Erreicht: 1\. Gelesen: 1\. Bestätigt: 1\.`).MatchString(detail) {
		t.Errorf("the admin figures do not say 1 targeted, 1 read, 1 acknowledged:\n%s", detail)
	}
	res, csv := do(t, bob, http.MethodGet, app.URL+"/admin/announcements/"+hrID+"/report.csv", nil, nil)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if res.StatusCode != http.StatusOK || len(lines) != 2 || !strings.HasPrefix(lines[1], "hr,Anna Schmidt,20") || strings.HasSuffix(lines[1], ",") {
		t.Errorf("CSV report (%d):\n%s\nwant a header and alice's row with read and acknowledged times", res.StatusCode, csv)
	}

	// Withdrawn: gone from alice's stream and dashboard at once.
	if status, _ := api(t, nil, http.MethodDelete, app.URL+"/api/announcements/"+hrID, app.Token, "", nil); status != http.StatusOK {
		t.Fatalf("DELETE = %d", status)
	}
	ev, ok = nextAnnEvent(t, aliceLive, 10*time.Second)
	if !ok || ev.Name != "removed" || !strings.Contains(ev.Data, hrID) {
		t.Errorf("alice's stream after withdrawal: %+v, want removed", ev)
	}
	if strings.Contains(pageOf(t, alice, app.URL), secret) {
		t.Error("the withdrawn announcement is still on alice's dashboard")
	}
}

func pageOf(t *testing.T, b *http.Client, base string) string {
	t.Helper()
	_, page := do(t, b, http.MethodGet, base+"/", nil, nil)
	return page
}

// The CLI posts an announcement as monitoring would; a wrong token fails
// with the server's reason.
func TestAnnounceCommand(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	title := "Störung VPN " + unique()
	body := writeFile(t, t.TempDir(), "body.md", "Der VPN-Zugang ist **gestört**.")
	var out, errOut bytes.Buffer
	env := map[string]string{"PFORTE_API_TOKEN": app.Token}
	err := run(t.Context(), []string{"announce", "--url", app.URL, "--title", title, "--body-file", body,
		"--severity", "critical", "--groups", "staff, it", "--push"}, func(k string) string { return env[k] }, &out, &errOut)
	if err != nil {
		t.Fatalf("announce: %v\n%s", err, errOut.String())
	}
	_, list := api(t, nil, http.MethodGet, app.URL+"/api/announcements", app.Token, "", nil)
	raw, _ := json.Marshal(list)
	if !strings.Contains(string(raw), title) || !strings.Contains(string(raw), `"push":true`) || !strings.Contains(string(raw), `"groups":["staff","it"]`) {
		t.Errorf("after announce the API lists %s", raw)
	}
	if !strings.Contains(out.String(), "live") {
		t.Errorf("announce printed %q, want the id and status live", out.String())
	}
	env["PFORTE_API_TOKEN"] = "wrong"
	err = run(t.Context(), []string{"announce", "--url", app.URL, "--title", "x", "--body", "y"}, func(k string) string { return env[k] }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("announce with a wrong token: %v, want a 401 error", err)
	}
}

// Two instances on one Redis: a tab connected to the second instance shows
// what was posted on the first, and only if it targets the user.
func TestLiveAcrossInstances(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	second := startApp(t, map[string]string{"PFORTE_CONFIG": app.Config})
	alice, carol := browser(t), browser(t)
	signIn(t, alice, app.URL, "/", "alice", "alice-pw")
	signIn(t, carol, app.URL, "/", "carol", "carol-pw")
	aliceLive, carolLive := openAnnStream(t, alice, second.URL), openAnnStream(t, carol, second.URL)

	hr := "Personalversammlung " + unique()
	app.post(t, `{"title":"`+hr+`","body":"x","groups":["hr"]}`)
	staff := "Kantine " + unique()
	app.post(t, `{"title":"`+staff+`","body":"x","groups":["staff"]}`)
	if ev, ok := nextAnnEvent(t, aliceLive, 10*time.Second); !ok || !strings.Contains(ev.Data, hr) {
		t.Fatalf("alice's tab on the second instance got %+v (ok %v), want %q", ev, ok, hr)
	}
	if ev, ok := nextAnnEvent(t, carolLive, 10*time.Second); !ok || !strings.Contains(ev.Data, staff) {
		t.Fatalf("carol's tab on the second instance got %+v (ok %v), want only %q", ev, ok, staff)
	}
}
