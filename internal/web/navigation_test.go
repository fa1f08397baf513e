package web

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/navigation"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// navPortal is the Nubus portal stand-in with two headings, one entry only
// erika (the demo employee) sees, a PNG and an SVG icon with script.
func navPortal(t *testing.T) *testenv.Portal {
	t.Helper()
	p := testenv.NewPortal(t, "portal-secret")
	p.Categories = []testenv.PortalCategory{
		{ID: "work", Names: map[string]string{"de_DE": "Zusammenarbeit", "en_US": "Collaboration"}},
		{ID: "admin", Names: map[string]string{"de_DE": "Verwaltung", "en_US": "Administration"}},
	}
	p.Entries = []testenv.PortalEntry{
		{ID: "chat", Category: "work", Names: map[string]string{"de_DE": "Plaudern", "en_US": "Chat"}, Link: "https://chat.example/", Icon: "chat.png"},
		{ID: "files", Category: "work", Names: map[string]string{"de_DE": "Dateiablage", "en_US": "Files"}, Link: "/files/", Icon: "files.svg", Target: "samewindow"},
		{ID: "tickets", Category: "admin", Names: map[string]string{"de_DE": "Störungsmeldungen", "en_US": "Trouble tickets"}, Link: "https://tickets.example/", Users: []string{"erika"}},
	}
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	p.Icons["chat.png"] = testenv.PortalIcon{Type: "image/png", Data: b.Bytes()}
	p.Icons["files.svg"] = testenv.PortalIcon{Type: "image/svg+xml", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`)}
	return p
}

func withNavigation(p *testenv.Portal) func(*config.Config) {
	return func(cfg *config.Config) {
		cfg.Tenants[0].Navigation = &config.Navigation{URL: p.NavigationURL(), Secret: "portal-secret"}
	}
}

var navIcon = regexp.MustCompile(`<img src="(/nav/icons/[A-Za-z0-9_-]+)"`)

// The start page shows the central navigation as the tiles: headings per
// category, the user's own entries, in German and English, icons from
// Pforte's own path; the JSON document carries the same tiles.
func TestCentralNavigationTiles(t *testing.T) {
	p := navPortal(t)
	ts := newTestServer(t, withNavigation(p))
	c := ts.client(hostA)
	c.signIn("employee")
	page := readBody(t, c.get("/"))
	for _, want := range []string{`<h3 class="sub" data-app-category>Zusammenarbeit</h3>`, `<h3 class="sub" data-app-category>Verwaltung</h3>`,
		"Plaudern", `href="` + p.URL + `/files/">`, "Störungsmeldungen", `target="_blank" rel="noopener noreferrer"`, "öffnet in neuem Tab"} {
		if !strings.Contains(page, want) {
			t.Errorf("German start page lacks %q", want)
		}
	}
	if strings.Contains(page, p.URL+"/univention") || strings.Contains(page, "Videokonferenz") {
		t.Error("the page names the portal's icon URL or still shows the apps list")
	}
	if icons := navIcon.FindAllStringSubmatch(page, -1); len(icons) != 2 {
		t.Fatalf("icons on the page: %v; want 2 served by Pforte", icons)
	}
	c.get("/lang/en")
	page = readBody(t, c.get("/"))
	for _, want := range []string{">Collaboration</h3>", ">Administration</h3>", "Chat", "Trouble tickets", "opens in a new tab"} {
		if !strings.Contains(page, want) {
			t.Errorf("English start page lacks %q", want)
		}
	}
	var d struct {
		Apps []map[string]string `json:"apps"`
	}
	decode(t, c.get("/api/dashboard"), &d)
	if len(d.Apps) != 3 || d.Apps[0]["name"] != "Chat" || d.Apps[0]["category"] != "Collaboration" ||
		!strings.HasPrefix(d.Apps[0]["icon_url"], navigation.IconPath) || d.Apps[1]["target"] != "_self" {
		t.Errorf("apps in /api/dashboard: %v", d.Apps)
	}
	// Portal down after the menu went stale: the last good menu stays.
	p.SetDown(true)
	ts.nav.Advance(navigation.FreshFor + time.Minute)
	if page := readBody(t, c.get("/")); !strings.Contains(page, "Trouble tickets") {
		t.Error("portal down: the last good menu is gone")
	}
	// A tenant without navigation keeps its apps list, with its icon.
	o := ts.client(hostB)
	o.signIn("employee")
	if page := readBody(t, o.get("/")); !strings.Contains(page, "Intranet") || !strings.Contains(page, "#files") {
		t.Error("tenant without navigation: apps list with icons missing")
	}
}

// GET /nav/icons/:hash serves the fetched icon: its type, immutable, an SVG
// inert when opened on its own; unknown and other tenants' icons are 404.
func TestNavIconServing(t *testing.T) {
	p := navPortal(t)
	ts := newTestServer(t, withNavigation(p))
	c := ts.client(hostA)
	c.signIn("employee")
	icons := navIcon.FindAllStringSubmatch(readBody(t, c.get("/")), -1)
	if len(icons) != 2 {
		t.Fatalf("icons: %v", icons)
	}
	types := map[string]string{}
	for _, m := range icons {
		res := ts.client(hostA).get(m[1]) // no session needed: an icon is no personal data
		body := readBody(t, res)
		typ := res.Header.Get("Content-Type")
		types[typ] = body
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			!strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d, %q, Cache-Control %q, CSP %q", m[1], res.StatusCode, typ, res.Header.Get("Cache-Control"), res.Header.Get("Content-Security-Policy"))
		}
		if other := ts.client(hostB).get(m[1]); other.StatusCode != http.StatusNotFound {
			t.Errorf("tenant other got tenant demo's icon: %d", other.StatusCode)
		}
	}
	if !strings.HasPrefix(types["image/png"], "\x89PNG") || !strings.Contains(types["image/svg+xml"], "<svg") {
		t.Errorf("served types: %v", len(types))
	}
	for _, path := range []string{"/nav/icons/AAAAAAAAAAAAAAAAAAAAAA", "/nav/icons/..%2f..%2fetc", "/nav/icons/"} {
		if res := c.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d; want 404", path, res.StatusCode)
		}
	}
}
