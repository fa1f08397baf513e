package main

import (
	"bytes"
	"image"
	"image/png"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// In Chromium, the start page shows the central navigation of the Nubus
// portal (the strict stand-in) as tiles under their headings, in German
// and English, with icons the browser loads from Pforte itself: the page
// asks no other host, not even the portal. With the portal down, the menu
// stays.
func TestBrowserCentralNavigation(t *testing.T) {
	o := testOIDC(t)
	portal := testenv.NewPortal(t, "portal-secret-browser")
	portal.Categories = []testenv.PortalCategory{
		{ID: "work", Names: map[string]string{"de_DE": "Zusammenarbeit", "en_US": "Collaboration"}},
		{ID: "admin", Names: map[string]string{"de_DE": "Verwaltung", "en_US": "Administration"}},
	}
	portal.Entries = []testenv.PortalEntry{
		{ID: "chat", Category: "work", Names: map[string]string{"de_DE": "Plaudern", "en_US": "Chat"}, Link: "https://chat.example/", Icon: "chat.png"},
		{ID: "files", Category: "work", Names: map[string]string{"de_DE": "Dateiablage", "en_US": "Files"}, Link: "/files/", Icon: "files.svg"},
		{ID: "tickets", Category: "admin", Names: map[string]string{"de_DE": "Störungsmeldungen", "en_US": "Trouble tickets"}, Link: "https://tickets.example/", Users: []string{"alice"}},
	}
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	portal.Icons["chat.png"] = testenv.PortalIcon{Type: "image/png", Data: b.Bytes()}
	portal.Icons["files.svg"] = testenv.PortalIcon{Type: "image/svg+xml", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8" onload="alert(1)"><rect width="8" height="8"/></svg>`)}

	id := uniqueID("nav")
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testenv.Server(t, "PFORTE_TEST_REDIS_URL")+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal `+id+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`"}
    navigation: {url: "`+portal.NavigationURL()+`", secret: portal-secret-browser}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	appURL, err := url.Parse(app.URL)
	if err != nil {
		t.Fatal(err)
	}
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")

	// From here on, every request the page makes is recorded.
	var mu sync.Mutex
	hosts := map[string]int{}
	chromedp.ListenTarget(tab.Context(), func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			if u, err := url.Parse(e.Request.URL); err == nil && u.Host != "" {
				mu.Lock()
				hosts[u.Host]++
				mu.Unlock()
			}
		}
	})
	headings := func() (cats, tiles string, icons int) {
		tab.Run(t, network.Enable(), chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(`[data-apps]`, chromedp.ByQuery),
			// Wait until every tile image has loaded (or failed).
			chromedp.Poll(`[...document.querySelectorAll('[data-apps] img')].every(i => i.complete)`, nil),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-app-category]')].map(h => h.textContent).join(', ')`, &cats),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-apps] a.tile')].map(a => a.textContent.trim()).join(', ')`, &tiles),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-apps] img')].filter(i => i.naturalWidth > 0 && new URL(i.src).host === location.host).length`, &icons))
		return cats, tiles, icons
	}
	cats, tiles, icons := headings()
	if cats != "Zusammenarbeit, Verwaltung" || !strings.Contains(tiles, "Plaudern") || !strings.Contains(tiles, "Störungsmeldungen") || icons != 2 {
		t.Errorf("German page: headings %q, tiles %q, %d icons from Pforte; want both headings, alice's tiles, 2 icons", cats, tiles, icons)
	}
	// The headings and lists pass axe-core (WCAG 2.1 AA rules) like the rest of the page.
	if v := axeCheck(t, tab, axeSource(t)); len(v) > 0 {
		t.Errorf("axe-core on the central navigation: %v", v)
	}
	tab.SetLanguage(t, "en-US")
	tab.Run(t, chromedp.Navigate(app.URL+"/lang/en?next=/"))
	cats, tiles, icons = headings()
	if cats != "Collaboration, Administration" || !strings.Contains(tiles, "Trouble tickets") || icons != 2 {
		t.Errorf("English page: headings %q, tiles %q, %d icons", cats, tiles, icons)
	}
	portal.SetDown(true)
	if _, tiles, _ = headings(); !strings.Contains(tiles, "Trouble tickets") {
		t.Errorf("portal down: tiles %q; want the last good menu", tiles)
	}
	mu.Lock()
	defer mu.Unlock()
	if hosts[appURL.Host] == 0 {
		t.Fatalf("no requests of the page observed: %v", hosts)
	}
	for h, n := range hosts {
		if h != appURL.Host {
			t.Errorf("the browser asked another host: %s (%d requests); want only Pforte %s", h, n, appURL.Host)
		}
	}
}
