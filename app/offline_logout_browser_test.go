package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Offline, "Abmelden" drops the user's copies on the device and shows the
// offline page saying so (not the browser's error page); the language
// switch is disabled with a hint. The sign-out is remembered to end the
// session once online.
func TestBrowserOfflineLogout(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	signInDemo(t, tab, app.URL)
	waitControlled(t, tab)
	waitPageKept(t, tab, "/", "Guten Tag, Erika Mustermann")

	goOffline(t, tab)
	var hint, langDisabled string
	tab.Run(t,
		chromedp.Reload(),
		chromedp.WaitVisible(`[data-pwa-langhint]`, chromedp.ByQuery),
		chromedp.Text(`[data-pwa-langhint]`, &hint, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('a.lang-switch').getAttribute('aria-disabled') || ''`, &langDisabled),
	)
	if !strings.Contains(hint, "Sprache lässt sich offline nicht umstellen") || langDisabled != "true" {
		t.Errorf("offline language switch: hint %q, aria-disabled %q", hint, langDisabled)
	}
	var url string
	tab.Run(t, chromedp.Click(`a.lang-switch`, chromedp.ByQuery), chromedp.Location(&url))
	if strings.Contains(url, "/lang/") {
		t.Errorf("offline, the language switch navigated to %s", url)
	}

	var page string
	var userCaches int
	tab.Run(t,
		chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-signedout]`, chromedp.ByQuery),
		chromedp.Text(`main`, &page, chromedp.ByQuery),
		chromedp.Evaluate(`caches.keys().then(k => k.filter(n => n.startsWith('pforte-user-')).length)`, &userCaches, awaitPromise),
	)
	// The offline page was kept when the worker was installed, in the language it was asked in; it speaks both.
	if !strings.Contains(page, "Sie wurden abgemeldet. Ihre Daten auf diesem Gerät sind gelöscht") || !strings.Contains(page, "Keine Verbindung") || userCaches != 0 {
		t.Errorf("offline logout: the page says\n%s\nwith %d user caches left; want the signed-out notice on the offline page and no copies", page, userCaches)
	}
	// The copy of the dashboard is gone: an offline visit shows the offline page.
	var body string
	tab.Run(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(`h1`, chromedp.ByQuery), chromedp.Text(`body`, &body, chromedp.ByQuery))
	if strings.Contains(body, "Erika Mustermann") {
		t.Error("after an offline logout the dashboard is still shown from the device")
	}

	// The session ends on the server with the next signed-in page online
	// (pwa.js submits the logout then); until then the device remembers it.
	var pending string
	tab.Run(t, chromedp.Evaluate(`localStorage.getItem('pforte-logout-pending') || ''`, &pending))
	if pending != "1" {
		t.Errorf("after an offline logout the pending sign-out is %q, want it remembered", pending)
	}
}

// A sign-out remembered offline ends the session with the next signed-in
// page that loads online, and the sign-in page then says so (once).
func TestBrowserPendingLogoutEndsSession(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	signInDemo(t, tab, app.URL)
	var loc, pending, notice string
	tab.Run(t,
		// Not chromedp.Navigate: the page leaves at once, and Navigate would wait for its load.
		chromedp.Evaluate(`localStorage.setItem('pforte-logout-pending', '1'); location.href = '/settings'; true`, nil),
		chromedp.WaitVisible(`button[name="user"]`, chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`localStorage.getItem('pforte-logout-pending') || ''`, &pending),
		chromedp.Text(`[data-signedout-notice]`, &notice, chromedp.ByQuery),
	)
	if !strings.Contains(loc, "/login") || pending != "" || notice != "Sie wurden abgemeldet." {
		t.Errorf("with a pending sign-out the browser is at %s (pending %q, notice %q), want the sign-in page saying Sie wurden abgemeldet and nothing pending", loc, pending, notice)
	}
	// Only once: the next visit to the sign-in page does not say it again.
	var again int
	tab.Run(t, chromedp.Reload(), chromedp.WaitVisible(`button[name="user"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('[data-signedout-notice]').length`, &again))
	if again != 0 {
		t.Error("the sign-in page says Sie wurden abgemeldet again on a later visit")
	}
}
