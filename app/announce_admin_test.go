package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// An admin writes in the browser form (without JavaScript): a mistake shows
// the form again naming the field; a scheduled announcement is listed as
// planned and invisible to staff; duplicating prefills the form; the
// preview renders Markdown inert; withdrawing takes it off the dashboard.
func TestAdminWritesSchedulesDuplicatesWithdraws(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	bob, carol := browser(t), browser(t)
	_, page := signIn(t, bob, app.URL, "/", "bob", "bob-pw")
	signIn(t, carol, app.URL, "/", "carol", "carol-pw")
	csrf := csrfOf(t, page)
	if !strings.Contains(page, `href="/admin/announcements"`) {
		t.Error("bob's dashboard has no link to the announcement admin")
	}

	form := url.Values{"_csrf": {csrf}, "title": {"Wartung " + unique()}, "body": {"Am **Samstag**"}, "severity": {"loud"}}
	res, page := do(t, bob, http.MethodPost, app.URL+"/admin/announcements", form, nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="f-severity-err"`) || !strings.Contains(page, "Bitte „Info“, „Wichtig“ oder „Kritisch“ wählen.") || !strings.Contains(page, form.Get("title")) {
		t.Fatalf("a wrong severity: %d; want the form again with a German error next to the severity, keeping the title", res.StatusCode)
	}

	later := time.Now().Add(48 * time.Hour).In(time.UTC).Format("2006-01-02T15:04")
	form.Set("severity", "warning")
	form.Set("publish_at", later)
	form.Set("groups", "staff")
	form.Set("requires_ack", "1")
	res, page = publishForm(t, bob, app.URL+"/admin/announcements", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "geplant") {
		t.Fatalf("creating a scheduled announcement: %d at %s, want its page saying geplant", res.StatusCode, res.Request.URL)
	}
	id := strings.TrimPrefix(res.Request.URL.Path, "/admin/announcements/")
	if strings.Contains(pageOf(t, carol, app.URL), form.Get("title")) {
		t.Error("a scheduled announcement already shows on carol's dashboard")
	}

	// Duplicate: the form comes prefilled, without the schedule.
	_, dup := do(t, bob, http.MethodGet, app.URL+"/admin/announcements/new?from="+id, nil, nil)
	if !strings.Contains(dup, `value="`+form.Get("title")+`"`) || !strings.Contains(dup, "Am **Samstag**") || strings.Contains(dup, `value="`+later+`"`) {
		t.Error("duplicating does not prefill title and body (or keeps the old schedule)")
	}

	// Edit: publish now. carol sees it at once.
	form.Set("publish_at", "")
	res, _ = publishForm(t, bob, app.URL+"/admin/announcements/"+id, form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("edit = %d", res.StatusCode)
	}
	if !strings.Contains(pageOf(t, carol, app.URL), form.Get("title")) {
		t.Error("after publishing now, carol's dashboard does not show it")
	}

	// Live preview endpoint: Markdown in, sanitized HTML out.
	req := url.Values{"body": {"**fett** <script>alert(1)</script> [x](javascript:alert(1))"}}
	res, prev := do(t, bob, http.MethodPost, app.URL+"/admin/announcements/preview", req, http.Header{"X-Csrf-Token": {csrf}})
	if res.StatusCode != http.StatusOK || !strings.Contains(prev, "<strong>fett</strong>") || strings.Contains(prev, "<script") || strings.Contains(prev, "javascript:") {
		t.Errorf("preview = %d %q", res.StatusCode, prev)
	}
	if res, _ := do(t, carol, http.MethodPost, app.URL+"/admin/announcements/preview", req, http.Header{"X-Csrf-Token": {csrfOf(t, pageOf(t, carol, app.URL))}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("carol's preview = %d, want 403", res.StatusCode)
	}

	// Withdraw: gone from carol's dashboard, listed as withdrawn.
	res, _ = do(t, bob, http.MethodPost, app.URL+"/admin/announcements/"+id+"/withdraw", url.Values{"_csrf": {csrf}}, nil)
	if res.StatusCode != http.StatusOK || strings.Contains(pageOf(t, carol, app.URL), form.Get("title")) {
		t.Errorf("withdraw = %d; carol still sees it or the page failed", res.StatusCode)
	}
	_, list := do(t, bob, http.MethodGet, app.URL+"/admin/announcements", nil, nil)
	if !regexp.MustCompile(`(?s)` + regexp.QuoteMeta(form.Get("title")) + `</a></td>\s*<td>zurückgezogen`).MatchString(list) {
		t.Errorf("the admin list does not show the announcement as zurückgezogen:\n%s", list)
	}
}

var reviewedField = regexp.MustCompile(`name="reviewed" value="([0-9a-f]+)"`)

// publishForm posts the admin form as a person does: first the summary,
// then "publish" from it. It fails the test if no summary comes.
func publishForm(t *testing.T, b *http.Client, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("action", "review")
	res, page := do(t, b, http.MethodPost, target, f, nil)
	m := reviewedField.FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("posting the form to %s: %d without a summary to confirm:\n%s", target, res.StatusCode, page)
	}
	f.Set("action", "publish")
	f.Set("reviewed", m[1])
	return do(t, b, http.MethodPost, target, f, nil)
}
