package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func adminForm(title, body string) url.Values {
	return url.Values{"title": {title}, "body": {body}, "severity": {"info"}, "groups": {""}, "publish_at": {""}, "expires_at": {""}}
}

// publishForm posts f to path as an admin does: the first submit shows the
// summary (200, nothing stored), publishing needs that summary's fingerprint.
func publishForm(t *testing.T, admin *client, path string, f url.Values) *http.Response {
	t.Helper()
	res := admin.form(path, f)
	page := readBody(t, res)
	m := regexp.MustCompile(`name="reviewed" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("%s: %d without a summary to confirm", path, res.StatusCode)
	}
	g := url.Values{}
	for k, v := range f {
		g[k] = v
	}
	g.Set("action", "publish")
	g.Set("reviewed", m[1])
	return admin.form(path, g)
}

// The admin pages: only IT admins; writing through the form stores,
// audits with the admin's name and redirects to the detail page.
func TestAdminWritesThroughTheForm(t *testing.T) {
	ts := newTestServer(t)
	emp := ts.client(hostA)
	emp.signIn("employee")
	if res := emp.get("/admin/announcements"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("employee on the admin list: %d, want 403", res.StatusCode)
	}
	if res := ts.client(hostA).get("/admin/audit"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("signed out on the audit log: %d, want 403", res.StatusCode)
	}

	admin := ts.client(hostA)
	admin.signIn("admin")
	if res := admin.get("/admin/announcements/new"); res.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	res := publishForm(t, admin, "/admin/announcements", adminForm("Heizung im Rathaus", "Bitte **warm** anziehen."))
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/announcements/") {
		t.Fatalf("create: %d Location %q", res.StatusCode, loc)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, "/admin/announcements/"), "?")
	page := readBody(t, admin.get(loc))
	if !strings.Contains(page, "Heizung im Rathaus") || !strings.Contains(page, "<strong>warm</strong>") {
		t.Error("the detail page lacks the title or the rendered body")
	}
	a, err := ts.srv.Announce.Repo("demo").Get(context.Background(), id)
	if err != nil || a.Author != "Max Mustermann (max)" || a.Status(time.Now()) != "live" {
		t.Fatalf("stored: %+v, %v", a, err)
	}

	// A mistake shows the form again with a 400 naming the field, keeping
	// what was typed.
	bad := adminForm("Umzug", "Der Server zieht um.")
	bad.Set("publish_at", "morgen")
	res = admin.form("/admin/announcements", bad)
	page = readBody(t, res)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "publish_at") || !strings.Contains(page, "Der Server zieht um.") {
		t.Errorf("bad publish_at: %d, field named %v, text kept %v", res.StatusCode, strings.Contains(page, "publish_at"), strings.Contains(page, "Der Server zieht um."))
	}
	if res := publishForm(t, admin, "/admin/announcements/"+id, adminForm("Heizung im Rathaus (behoben)", "Alles warm.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	if res := admin.form("/admin/announcements/"+id+"/withdraw", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	res = admin.form("/admin/announcements/"+id, adminForm("zu spät", "x"))
	if res.StatusCode != http.StatusConflict {
		t.Errorf("editing a withdrawn announcement: %d, want 409", res.StatusCode)
	}
	if res := admin.form("/admin/announcements/nope/withdraw", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("withdrawing an unknown id: %d, want 404", res.StatusCode)
	}
	if res := admin.form("/admin/announcements", url.Values{"title": {"ohne Token"}, "body": {"x"}, "_csrf": {""}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("form without CSRF token: %d, want 403", res.StatusCode)
	}

	audit := readBody(t, admin.get("/admin/audit"))
	if strings.Count(audit, "Max Mustermann (max)") != 3 {
		t.Errorf("audit log should name the admin for create, update and withdraw:\n%s", audit)
	}
	list := readBody(t, admin.get("/admin/announcements"))
	if !strings.Contains(list, "Heizung im Rathaus (behoben)") {
		t.Error("the admin list lacks the withdrawn announcement")
	}
	csv := admin.get("/admin/announcements/" + id + "/report.csv")
	if csv.StatusCode != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("report.csv: %d %q", csv.StatusCode, csv.Header.Get("Content-Type"))
	}
}

// The preview renders Markdown inert: no script survives.
func TestAdminPreviewIsSanitized(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(hostA)
	admin.signIn("admin")
	res := admin.form("/admin/announcements/preview", url.Values{"body": {"**fett** <script>alert(1)</script> [x](javascript:alert(1))"}})
	html := readBody(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(html, "<strong>fett</strong>") || strings.Contains(html, "<script") || strings.Contains(html, "javascript:") {
		t.Errorf("preview: %d %q", res.StatusCode, html)
	}
}

// The archive lists what the user was shown; acknowledging one that asks
// for nothing is a 400 with the reason.
func TestArchiveAndAcknowledge(t *testing.T) {
	ts := newTestServer(t)
	a, err := ts.srv.Announce.Create(context.Background(), actorForTest("demo"), mustInput(t, `{"title":"Kantine geschlossen","body":"Heute."}`))
	if err != nil {
		t.Fatal(err)
	}
	emp := ts.client(hostA)
	emp.signIn("employee")
	if page := readBody(t, emp.get("/announcements?q=kantine")); !strings.Contains(page, "Kantine geschlossen") {
		t.Error("the archive search does not find the announcement")
	}
	res := emp.do(req{method: http.MethodPost, path: "/announcements/" + a.ID + "/ack",
		header: map[string]string{"Accept": "application/json", "X-CSRF-Token": emp.csrf}})
	wantError(t, res, http.StatusBadRequest, "this announcement needs no acknowledgement")
	res = emp.form("/announcements/"+a.ID+"/ack", url.Values{"next": {"https://evil.example/"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("form ack of a no-ack announcement: %d", res.StatusCode)
	}
}
