package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// After one visit the dashboard opens without a network: the service worker
// controls the page, and an offline reload shows the last dashboard with its
// "as of" time and a banner saying so, while the server receives nothing. A
// page never visited shows the offline page instead.
func TestBrowserOfflineDashboard(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	signInDemo(t, tab, app.URL)
	waitControlled(t, tab)
	waitPageKept(t, tab, "/", "Guten Tag, Erika Mustermann")
	var asOf, subject string
	tab.Run(t,
		chromedp.Text(`time[data-asof]`, &asOf, chromedp.ByQuery),
		chromedp.Text(`#mail .subject`, &subject, chromedp.ByQuery),
	)
	if asOf == "" || subject == "" {
		t.Fatalf("the online dashboard shows as-of %q and first mail %q; want both", asOf, subject)
	}

	goOffline(t, tab)
	before := requestsServed(app)
	tab.Run(t, chromedp.Reload())
	var h1, asOfOffline, subjectOffline, banner string
	tab.Run(t,
		chromedp.WaitVisible(`#pwa-offline`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &h1, chromedp.ByQuery),
		chromedp.Text(`time[data-asof]`, &asOfOffline, chromedp.ByQuery),
		chromedp.Text(`#mail .subject`, &subjectOffline, chromedp.ByQuery),
		chromedp.Text(`#pwa-offline`, &banner, chromedp.ByQuery),
	)
	if h1 != "Guten Tag, Erika Mustermann" || subjectOffline != subject {
		t.Errorf("offline reload shows heading %q and first mail %q; want the last dashboard (%q)", h1, subjectOffline, subject)
	}
	if asOfOffline != asOf || !strings.Contains(banner, "Offline") || !strings.Contains(banner, asOf) {
		t.Errorf("offline: as-of %q, banner %q; want the last as-of time %q in the banner", asOfOffline, banner, asOf)
	}
	// The stylesheet came from the cache too: the header has the tenant colour.
	var bg string
	tab.Run(t, chromedp.Evaluate(`getComputedStyle(document.querySelector('.site-header')).backgroundColor`, &bg))
	if bg != "rgb(0, 80, 140)" {
		t.Errorf("offline header background %q, want the tenant colour rgb(0, 80, 140): the stylesheet is missing", bg)
	}

	// A page never visited shows the offline page, in German and English.
	var other string
	tab.Run(t, chromedp.Navigate(app.URL+"/settings"), chromedp.Text(`main`, &other, chromedp.ByQuery))
	if !strings.Contains(other, "Keine Verbindung") || !strings.Contains(other, "No connection") {
		t.Errorf("offline, a page never visited shows:\n%s\nwant the offline page (Keine Verbindung / No connection)", other)
	}

	// A negative check: poll for a stray request until a deadline, failing
	// at the first one.
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n := requestsServed(app) - before; n != 0 {
			t.Fatalf("the server saw %d requests while offline, want 0", n)
		}
	}
}

// Signing out leaves nothing personal in the browser's caches, and the
// Clear-Site-Data header on POST /logout does not stop the redirect.
func TestBrowserLogoutDropsCachedPersonalData(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	signInDemo(t, tab, app.URL)
	waitControlled(t, tab)
	waitPageKept(t, tab, "/", "Guten Tag, Erika Mustermann")
	var subject string
	tab.Run(t, chromedp.Text(`#mail .subject`, &subject, chromedp.ByQuery))
	personal := []string{"Erika Mustermann", subject}
	if !cachesContain(cacheContents(t, tab), personal) {
		t.Fatalf("before sign-out the caches do not hold the dashboard; the test would prove nothing")
	}

	tab.Run(t,
		chromedp.Click(signOutButton, chromedp.BySearch),
		chromedp.WaitVisible(`button[name="user"][value="employee"]`, chromedp.ByQuery),
	)
	if loc := tab.Location(t); !strings.HasPrefix(loc, app.URL+"/login") {
		t.Fatalf("after Abmelden the browser is at %s, want the sign-in page", loc)
	}
	entries := cacheContents(t, tab)
	for _, e := range entries {
		for _, p := range personal {
			if strings.Contains(e.Body, p) {
				t.Errorf("after sign-out cache %s still holds %q in %s", e.Cache, p, e.URL)
			}
		}
		if strings.HasPrefix(e.Cache, "pforte-user-") {
			t.Errorf("after sign-out a user cache is left: %s (%s)", e.Cache, e.URL)
		}
	}
	if len(entries) == 0 {
		t.Errorf("after sign-out the app shell is gone too; want it kept (it holds nothing personal)")
	}
}

// Two people on one device: after alice, bob signs in (alice never signed
// out: her session just ended). bob's caches and his offline reload never
// show alice's name.
func TestBrowserSecondUserNeverSeesFirst(t *testing.T) {
	o := testOIDC(t)
	app, _ := signInApp(t, "pwausers", o)
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")
	waitControlled(t, tab)
	waitPageKept(t, tab, "/", "Anna Schmidt")

	// Her session ends without the sign-out button (expired, cookies cleared).
	tab.Run(t, network.ClearBrowserCookies())
	browserSignIn(t, tab, o, app.URL+"/", "bob", "bob-pw")
	assertGreeting(t, tab, app.URL+"/", "Guten Tag, Bernd Huber")
	waitPageKept(t, tab, "/", "Bernd Huber")
	for _, e := range cacheContents(t, tab) {
		if strings.Contains(e.Body, "Anna Schmidt") {
			t.Errorf("with bob signed in, cache %s still holds alice's name in %s", e.Cache, e.URL)
		}
	}

	goOffline(t, tab)
	tab.Run(t, chromedp.Reload())
	var body string
	tab.Run(t, chromedp.WaitVisible(`#pwa-offline`, chromedp.ByQuery), chromedp.Text(`body`, &body, chromedp.ByQuery))
	if strings.Contains(body, "Anna Schmidt") || !strings.Contains(body, "Guten Tag, Bernd Huber") {
		t.Errorf("bob's offline reload shows:\n%s\nwant bob's dashboard and nothing of alice", body)
	}
}

func cachesContain(entries []cachedEntry, all []string) bool {
	for _, want := range all {
		found := false
		for _, e := range entries {
			found = found || strings.Contains(e.Body, want)
		}
		if !found {
			return false
		}
	}
	return true
}

// A new deployment with a changed app shell (here: another tenant colour)
// offers "Neue Version verfügbar — neu laden"; the button switches to the
// new service worker and reloads, and the old shell cache is gone.
func TestBrowserNewVersionBanner(t *testing.T) {
	o := testOIDC(t)
	id := uniqueID("pwaupdate")
	port := freePort(t)
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	config := func(color string) string {
		return writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal `+id+`
    theme: {primary_color: "`+color+`"}
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", scopes: [groups, offline_access]}
`)
	}
	app := startApp(t, map[string]string{"PFORTE_CONFIG": config("#00508c"), "PORT": port})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")
	waitControlled(t, tab)
	oldShell := shellCaches(t, tab)
	if len(oldShell) != 1 {
		t.Fatalf("shell caches %v, want one", oldShell)
	}
	var hidden bool
	tab.Run(t, chromedp.Evaluate(`document.getElementById('pwa-update').hidden`, &hidden))
	if !hidden {
		t.Fatalf("the update banner shows before there is an update")
	}

	if err := app.Stop(t); err != nil {
		t.Fatalf("stop the first version: %v", err)
	}
	startApp(t, map[string]string{"PFORTE_CONFIG": config("#7a1f5c"), "PORT": port})
	tab.Run(t, chromedp.Reload())
	var banner string
	tab.Run(t, chromedp.WaitVisible(`#pwa-update`, chromedp.ByQuery), chromedp.Text(`#pwa-update`, &banner, chromedp.ByQuery))
	if strings.Join(strings.Fields(banner), " ") != "Neue Version verfügbar — neu laden" {
		t.Errorf("update banner %q", banner)
	}
	tab.Run(t,
		chromedp.Click(`#pwa-update button`, chromedp.ByQuery),
		chromedp.WaitNotVisible(`#pwa-update`, chromedp.ByQuery),
	)
	waitJS(t, tab, "the new shell to replace the old", `caches.keys().then((ks) => !ks.includes(`+jsString(oldShell[0])+`) && ks.some((k) => k.startsWith('pforte-shell-')))`)
	// The reload after the click may still be loading: wait for its header
	// to take the new colour (fails after the deadline when it never does).
	waitJS(t, tab, "the header in the new colour rgb(122, 31, 92)",
		`(() => { const h = document.querySelector('.site-header'); return !!h && getComputedStyle(h).backgroundColor === 'rgb(122, 31, 92)' })()`)
}

func shellCaches(t *testing.T, tab *testenv.Tab) []string {
	t.Helper()
	var keys []string
	tab.Run(t, chromedp.Evaluate(`caches.keys().then((ks) => ks.filter((k) => k.startsWith('pforte-shell-')))`, &keys, awaitPromise))
	return keys
}
