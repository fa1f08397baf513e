package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The languages every page is checked in; each page in both colour schemes.
var axeLangs = [...]string{"de", "en"}

// axe-core finds no WCAG 2.1 A/AA violation on Pforte's pages, in German
// and English and in light and dark mode: the demo's sign-in page, the
// accessibility statement, the dashboard, settings, announcements and the
// error page. English is chosen with the header's language switch, as a
// user would; the browser itself asks for German.
func TestAxeFindsNoViolations(t *testing.T) {
	axe := axeSource(t)
	app := startApp(t, map[string]string{}) // the demo: sample mail, meetings and files
	signedOut := []string{"/login", "/barrierefreiheit"}
	signedIn := []string{"/", "/settings", "/announcements", "/no-such-page"}

	for _, lang := range axeLangs {
		// A browser each for signed out and signed in keeps every browser
		// well inside its time limit on a busy machine.
		t.Run(lang+"/signed-out", func(t *testing.T) {
			t.Parallel()
			tab := axeTab(t, app.URL, lang)
			for _, p := range signedOut {
				axePage(t, tab, axe, app.URL+p, lang)
			}
			if errs := tab.ConsoleErrors(); len(errs) > 0 {
				t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
			}
		})
		t.Run(lang+"/signed-in", func(t *testing.T) {
			t.Parallel()
			tab := axeTab(t, app.URL, lang)
			demoBrowserSignIn(t, tab, app.URL, "employee")
			for _, p := range signedIn {
				axePage(t, tab, axe, app.URL+p, lang)
			}
			if errs := consoleErrorsBut(tab, app.URL+"/no-such-page"); len(errs) > 0 {
				t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
			}
		})
	}
}

// The friendly page a failed sign-in ends on (a callback with an unknown
// state answers 400 with "Anmeldung abgelaufen") passes axe-core too.
func TestAxeSignInErrorPage(t *testing.T) {
	axe := axeSource(t)
	app, _ := signInApp(t, "axe", testOIDC(t))
	page := app.URL + "/auth/callback?state=x&code=y"
	want := map[string]string{"de": "Anmeldung abgelaufen", "en": "Sign-in expired"}
	for _, lang := range axeLangs {
		t.Run(lang, func(t *testing.T) {
			tab := axeTab(t, app.URL, lang)
			if h1 := axePage(t, tab, axe, page, lang); h1 != want[lang] {
				t.Errorf("sign-in error page heading %q, want %q", h1, want[lang])
			}
			if errs := consoleErrorsBut(tab, page); len(errs) > 0 {
				t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
			}
		})
	}
}

// axeTab is a browser set to German; for English it picks English with the
// language switch in the header of a signed-out page.
func axeTab(t *testing.T, base, lang string) *testenv.Tab {
	t.Helper()
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	if lang == "en" {
		tab.Run(t,
			chromedp.Navigate(base+"/barrierefreiheit"),
			chromedp.Click(`//header//a[@hreflang="en"][normalize-space(.)="English"]`, chromedp.BySearch),
			chromedp.WaitVisible(`html[lang="en"]`, chromedp.ByQuery),
		)
	}
	return tab
}

// axePage opens url, checks that it is in lang, and in light and then dark
// mode (prefers-color-scheme emulated, as the system setting would) reports
// every axe-core violation. It returns the page's heading.
func axePage(t *testing.T, tab *testenv.Tab, axe, url, lang string) string {
	t.Helper()
	var htmlLang, h1 string
	tab.Run(t,
		colorScheme("light"),
		chromedp.Navigate(url),
		chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &h1, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &htmlLang),
	)
	if htmlLang != lang {
		t.Errorf("%s: <html lang=%q>, want %q", url, htmlLang, lang)
	}
	for _, scheme := range [...]string{"light", "dark"} {
		var bg string
		tab.Run(t,
			colorScheme(scheme),
			chromedp.Evaluate(`getComputedStyle(document.documentElement).backgroundColor`, &bg),
		)
		if dark := bg == "rgb(18, 18, 18)"; dark != (scheme == "dark") {
			t.Errorf("%s: page background %s in %s mode", url, bg, scheme)
		}
		for _, v := range axeCheck(t, tab, axe) {
			t.Errorf("%s (%s, %s): %s", url, lang, scheme, v)
		}
	}
	return h1
}
