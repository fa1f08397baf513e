package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A dry run answers whom an announcement would reach, names the unknown
// groups and stores nothing; the admin form shows the same as a summary
// before anything is published, and says what happened after saving.
func TestDryRunAndPublishSummary(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	alice, bob, carol := browser(t), browser(t), browser(t)
	signIn(t, alice, app.URL, "/", "alice", "alice-pw")      // staff, hr
	_, home := signIn(t, bob, app.URL, "/", "bob", "bob-pw") // staff, it-admins
	signIn(t, carol, app.URL, "/", "carol", "carol-pw")      // staff

	title := "Phishing " + unique()
	code, got := api(t, nil, http.MethodPost, app.URL+"/api/announcements?dry_run=true", app.Token,
		`{"title":"`+title+`","body":"Nicht klicken","groups":["hr","Buergeramt"],"push":true}`, nil)
	if code != http.StatusOK || got["audience"] != float64(1) || got["devices"] != float64(0) || !sameList(got["unknown_groups"], "Buergeramt") {
		t.Errorf("dry run = %d %v, want 200 with audience 1 (alice), devices 0, unknown_groups [Buergeramt]", code, got)
	}
	code, got = api(t, nil, http.MethodPost, app.URL+"/api/announcements?dry_run=true", app.Token, `{"title":"`+title+`","body":"x","groups":["staff"]}`, nil)
	if code != http.StatusOK || got["audience"] != float64(3) || !sameList(got["unknown_groups"]) {
		t.Errorf("dry run for staff = %d %v, want audience 3 and no unknown groups", code, got)
	}
	if code, got = api(t, nil, http.MethodPost, app.URL+"/api/announcements?dry_run=true", app.Token, `{"title":"","body":"x"}`, nil); code != http.StatusBadRequest {
		t.Errorf("dry run with an empty title = %d %v, want 400", code, got)
	}
	_, list := api(t, nil, http.MethodGet, app.URL+"/api/announcements", app.Token, "", nil)
	if raw := mustJSON(list); strings.Contains(raw, title) {
		t.Fatalf("a dry run stored the announcement: %s", raw)
	}

	// The CLI's --dry-run says the same and fails on the unknown group.
	var out, errOut bytes.Buffer
	env := map[string]string{"PFORTE_API_TOKEN": app.Token}
	err := run(t.Context(), []string{"announce", "--dry-run", "--url", app.URL, "--title", title, "--body", "b", "--groups", "hr, Buergeramt"},
		func(k string) string { return env[k] }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "Buergeramt") || !strings.Contains(out.String(), "would reach 1 people") {
		t.Errorf("announce --dry-run: %v, printed %q; want 1 person and an error naming Buergeramt", err, out.String())
	}

	// The admin form: first a summary with the audience and the warning.
	form := url.Values{"_csrf": {csrfOf(t, home)}, "title": {title}, "body": {"Bitte **keine** Links öffnen."},
		"severity": {"critical"}, "groups": {"hr, Buergeramt"}, "push": {"1"}, "action": {"review"}}
	res, page := do(t, bob, http.MethodPost, app.URL+"/admin/announcements", form, nil)
	for _, want := range []string{"Zusammenfassung vor dem Veröffentlichen", "1 bekannte Personen", "Push an 0 Geräte",
		"Unbekannte Zielgruppe: „Buergeramt“", "Bekannte Gruppen: hr, it-admins, staff", "Kritisch", "sofort"} {
		if !strings.Contains(page, want) {
			t.Errorf("the summary (%d) lacks %q", res.StatusCode, want)
		}
	}
	if pageHas(t, alice, app.URL, title) {
		t.Fatal("the summary step already published the announcement")
	}
	// Publishing something other than what the summary showed shows a new summary.
	m := reviewedField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the summary has no reviewed fingerprint")
	}
	form.Set("action", "publish")
	form.Set("reviewed", m[1])
	form.Set("groups", "staff")
	if res, page = do(t, bob, http.MethodPost, app.URL+"/admin/announcements", form, nil); !strings.Contains(page, "3 bekannte Personen") || pageHas(t, alice, app.URL, title) {
		t.Fatalf("publishing changed fields without their summary: %d at %s", res.StatusCode, res.Request.URL)
	}
	// A draft is stored but not shown; publishing it from its summary says so.
	form.Set("groups", "hr")
	form.Set("action", "draft")
	res, page = do(t, bob, http.MethodPost, app.URL+"/admin/announcements", form, nil)
	id := strings.TrimPrefix(res.Request.URL.Path, "/admin/announcements/")
	if !strings.Contains(page, "Als Entwurf gespeichert") || pageHas(t, alice, app.URL, title) {
		t.Fatalf("saving a draft: %d at %s; want the notice and nothing on alice's dashboard", res.StatusCode, res.Request.URL)
	}
	res, page = publishForm(t, bob, app.URL+"/admin/announcements/"+id, form)
	if !strings.Contains(page, "Veröffentlicht – Push an 0 Geräte unterwegs.") || !pageHas(t, alice, app.URL, title) {
		t.Errorf("publishing the draft: %d at %s; want the result message and the announcement on alice's dashboard", res.StatusCode, res.Request.URL)
	}
}

// Every mistake of the admin form at once, next to its field, in German.
func TestAdminFormErrorsAllAtOnce(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	bob := browser(t)
	_, home := signIn(t, bob, app.URL, "/", "bob", "bob-pw")
	form := url.Values{"_csrf": {csrfOf(t, home)}, "title": {"   "}, "body": {"Text"}, "groups": {"hr, <b>"},
		"publish_at": {"2030-01-02T10:00"}, "expires_at": {"2030-01-01T10:00"}, "action": {"review"}}
	res, page := do(t, bob, http.MethodPost, app.URL+"/admin/announcements", form, nil)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("a form with three mistakes = %d, want 400", res.StatusCode)
	}
	for _, want := range []string{`<p id="f-title-err" class="field-error">Darf nicht leer sein.</p>`,
		`<p id="f-groups-err" class="field-error">Kein gültiger Gruppenname`,
		`<p id="f-expires-err" class="field-error">Muss nach dem Veröffentlichungszeitpunkt liegen.</p>`,
		`<a href="#f-title">Titel</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	if strings.Contains(page, "must not be empty") {
		t.Error("the German page shows the English API message")
	}
}

func pageHas(t *testing.T, b *http.Client, base, s string) bool {
	t.Helper()
	return strings.Contains(pageOf(t, b, base), s)
}

func sameList(v any, want ...string) bool {
	list, ok := v.([]any)
	if !ok || len(list) != len(want) {
		return false
	}
	for i := range want {
		if list[i] != want[i] {
			return false
		}
	}
	return true
}

func mustJSON(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
