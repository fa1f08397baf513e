package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// twoTenantApp serves two cities without sign-in set up: "a" renders
// Pforte's own accessibility statement, "b" publishes its own. Its
// default language is English.
func twoTenantApp(t *testing.T) *testApp {
	t.Helper()
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {data_dir: "`+t.TempDir()+`"}
tenants:
  - id: a
    hosts: [a.example]
    name: Stadt A
    legal: {imprint_url: "https://www.a.example/impressum", privacy_url: "https://www.a.example/datenschutz", feedback_email: barrierefreiheit@a.example}
  - id: b
    hosts: [b.example]
    name: Stadt B
    default_locale: en
    legal: {accessibility_url: "https://www.b.example/barrierefreiheit"}
`)
	return startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
}

// noFollow sends one request and returns the response as it came (no
// redirects followed), with its body.
func noFollow(t *testing.T, base, path, host string, hdr http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for k, v := range hdr {
		req.Header[k] = v
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// The language comes from the user's choice, then the browser, then the
// tenant; the switch is a plain link that remembers the choice for a year
// and never leads off the site.
func TestLanguageChoice(t *testing.T) {
	app := twoTenantApp(t)
	en := http.Header{"Accept-Language": {"en-GB,en;q=0.9"}}
	de := http.Header{"Accept-Language": {"de-DE,de;q=0.9"}}
	cases := []struct {
		name, host string
		hdr        http.Header
		want       string
	}{
		{"browser German", "a.example", de, "de"},
		{"browser English", "a.example", en, "en"},
		{"browser French: tenant default (de)", "a.example", http.Header{"Accept-Language": {"fr-FR"}}, "de"},
		{"no header: tenant default (en)", "b.example", nil, "en"},
		{"choice beats browser", "a.example", http.Header{"Accept-Language": {"en"}, "Cookie": {"lang=de"}}, "de"},
		{"choice beats tenant default", "b.example", http.Header{"Cookie": {"lang=de"}}, "de"},
		{"unknown choice is ignored", "a.example", http.Header{"Accept-Language": {"en"}, "Cookie": {"lang=xx"}}, "en"},
	}
	for _, c := range cases {
		res, body := noFollow(t, app.URL, "/no-such-page", c.host, c.hdr)
		if got := res.Header.Get("Content-Language"); got != c.want || !strings.Contains(body, `<html lang="`+c.want+`">`) {
			t.Errorf("%s: Content-Language %q, want %q", c.name, got, c.want)
		}
	}

	// The switch in the header links to the other language and back to this page.
	_, body := noFollow(t, app.URL, "/barrierefreiheit", "a.example", de)
	if !strings.Contains(body, `href="/lang/en?next=%2Fbarrierefreiheit" lang="en" hreflang="en">English</a>`) {
		t.Errorf("German page lacks the switch to English:\n%s", body)
	}
	res, _ := noFollow(t, app.URL, "/lang/en?next=%2Fbarrierefreiheit", "a.example", de)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/barrierefreiheit" {
		t.Fatalf("switch: %d to %q, want 303 to /barrierefreiheit", res.StatusCode, res.Header.Get("Location"))
	}
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"lang=en", "path=/", "max-age=31536000", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(strings.ToLower(cookie), strings.ToLower(want)) {
			t.Errorf("Set-Cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(strings.ToLower(cookie), "domain=") {
		t.Errorf("Set-Cookie %q: the choice must stay on this host", cookie)
	}
	_, body = noFollow(t, app.URL, "/barrierefreiheit", "a.example", http.Header{"Accept-Language": {"de"}, "Cookie": {"lang=en"}})
	if !strings.Contains(body, "<h1>Accessibility statement</h1>") || !strings.Contains(body, `hreflang="de">Deutsch</a>`) {
		t.Errorf("after choosing English the page is not English or lacks the way back to Deutsch")
	}

	for _, next := range []string{"https://evil.example/", "//evil.example/", "/%2F%2Fevil.example"} {
		res, _ := noFollow(t, app.URL, "/lang/de?next="+next, "a.example", nil)
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("switch with next=%s goes to %q, want /", next, loc)
		}
	}
	if res, _ := noFollow(t, app.URL, "/lang/fr?next=/", "a.example", nil); res.StatusCode != http.StatusNotFound || res.Header.Get("Set-Cookie") != "" {
		t.Errorf("/lang/fr: %d, Set-Cookie %q; want 404 and no cookie", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
}

// Every city has an accessibility statement linked in the footer next to
// imprint and privacy: Pforte's own page with the city's feedback contact,
// the conciliation procedure and the date, or the city's own page.
func TestAccessibilityStatement(t *testing.T) {
	app := twoTenantApp(t)
	res, body := noFollow(t, app.URL, "/barrierefreiheit", "a.example", http.Header{"Accept-Language": {"de"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /barrierefreiheit = %d", res.StatusCode)
	}
	for _, want := range []string{
		"<h1>Erklärung zur Barrierefreiheit</h1>", "Stadt A ist bemüht",
		`href="mailto:barrierefreiheit@a.example"`, "Schlichtungsverfahren", "§ 16 des Behindertengleichstellungsgesetzes",
		`<time datetime="2026-11-23">23. November 2026</time>`,
		`<a href="https://www.a.example/impressum">Impressum</a>`, `<a href="https://www.a.example/datenschutz">Datenschutz</a>`,
		`<a href="/barrierefreiheit">Barrierefreiheit</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("German statement lacks %q", want)
		}
	}
	_, body = noFollow(t, app.URL, "/accessibility", "a.example", http.Header{"Accept-Language": {"en"}})
	for _, want := range []string{"<h1>Accessibility statement</h1>", "Enforcement procedure",
		`<time datetime="2026-11-23">23 November 2026</time>`, `<a href="/accessibility">Accessibility</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("English statement lacks %q", want)
		}
	}

	// City B publishes its own statement: the footer and both addresses lead there.
	for _, p := range []string{"/barrierefreiheit", "/accessibility"} {
		res, _ := noFollow(t, app.URL, p, "b.example", nil)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://www.b.example/barrierefreiheit" {
			t.Errorf("b: GET %s = %d to %q, want 302 to its own statement", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	_, body = noFollow(t, app.URL, "/no-such-page", "b.example", nil)
	if !strings.Contains(body, `<a href="https://www.b.example/barrierefreiheit">Accessibility</a>`) {
		t.Errorf("b's footer does not link its own statement")
	}
}
