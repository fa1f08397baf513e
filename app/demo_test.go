package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// With no config at all, Pforte serves the demo tenant: what a developer
// sees after `go run ./app`.
func TestDemoStartsWithoutConfig(t *testing.T) {
	app := startApp(t, map[string]string{})

	status, body, hdr := get(t, app.URL, "/login", "")
	if status != http.StatusOK {
		t.Fatalf("GET /login = %d, want 200\n%s", status, body)
	}
	for _, want := range []string{"Mitarbeiterportal Musterstadt", `lang="de"`, "Demo-Modus", "Erika Mustermann", "Max Mustermann"} {
		if !strings.Contains(body, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q, want self-only scripts without unsafe-inline", csp)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if status, body, _ := get(t, app.URL, p, ""); status != http.StatusOK {
			t.Errorf("GET %s = %d %s, want 200", p, status, body)
		}
	}

	// The tenant's theme and the stylesheet are linked by content hash and cached for a year.
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/css/app\.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatalf("no hashed stylesheet link in page")
	}
	status, _, hdr = get(t, app.URL, css[1], "")
	if status != http.StatusOK || !strings.Contains(hdr.Get("Cache-Control"), "immutable") || hdr.Get("ETag") == "" {
		t.Errorf("GET %s = %d, Cache-Control %q, ETag %q; want 200, immutable, an ETag", css[1], status, hdr.Get("Cache-Control"), hdr.Get("ETag"))
	}
	stale := regexp.MustCompile(`/static/[0-9a-f]+/`).ReplaceAllString(css[1], "/static/000000000000/")
	if status, _, _ := get(t, app.URL, stale, ""); status != http.StatusNotFound {
		t.Errorf("stale hash %s = %d, want 404 (never new content under an old immutable URL)", stale, status)
	}

	// English browsers get English.
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Content-Language"); got != "en" {
		t.Errorf("Accept-Language en: Content-Language = %q, want en", got)
	}
}

// The demo signs in with a click and shows sample mail, meetings and files
// read through the real connectors from its in-process servers.
func TestDemoDashboardShowsSampleData(t *testing.T) {
	app := startApp(t, map[string]string{})
	b := browser(t)
	_, page := do(t, b, http.MethodGet, app.URL+"/login", nil, nil)
	res, page := do(t, b, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"employee"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Guten Tag, Erika Mustermann") {
		t.Fatalf("demo sign-in: %d\n%s", res.StatusCode, page)
	}
	d := apiDashboard(t, b, app.URL)
	if d.Mail.Status != "ok" || d.Mail.Unread == 0 || d.Calendar.Status != "ok" || len(d.Calendar.Events) == 0 || d.Files.Status != "ok" || len(d.Files.Files) == 0 {
		t.Errorf("demo dashboard: mail %+v (%d unread), calendar %+v (%d), files %+v (%d)",
			d.Mail.Block, d.Mail.Unread, d.Calendar.Block, len(d.Calendar.Events), d.Files.Block, len(d.Files.Files))
	}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func csrfField(t *testing.T, page string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("form has no _csrf field")
	}
	return m[1]
}

// A host no tenant lists gets a plain 404 and nothing of any tenant.
func TestUnknownHostIsPlain404(t *testing.T) {
	app := startApp(t, map[string]string{})
	status, body, _ := get(t, app.URL, "/", "intranet.other-city.example")
	if status != http.StatusNotFound {
		t.Fatalf("unknown host: status %d, want 404", status)
	}
	if strings.Contains(body, "Musterstadt") || strings.Contains(body, "<html") {
		t.Errorf("unknown host page shows tenant content: %q", body)
	}
}
