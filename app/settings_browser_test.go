package main

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// In Chromium: a wrong app password is tried against the real WebDAV
// server and refused with the reason, not saved as "Verbunden"; the right
// one connects; deleting asks first and then says "Gelöscht".
func TestBrowserAppPasswordTriedAtSave(t *testing.T) {
	o := testOIDC(t)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": sourcesConfig(t, uniqueID("pw"), o, "x")})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	browserSignIn(t, tab, o, app.URL+"/settings", "alice", "alice-pw")

	connect := func(password string) string {
		t.Helper()
		var msg string
		tab.Run(t,
			chromedp.Navigate(app.URL+"/settings"),
			chromedp.SetValue(`#u-files`, "alice", chromedp.ByQuery),
			chromedp.SendKeys(`#p-files`, password, chromedp.ByQuery),
			chromedp.Submit(`#p-files`, chromedp.ByQuery),
			// The answer to the save: refused or saved. Not any status: the
			// push line (#push-status) fills in on the page before the save.
			chromedp.WaitVisible(`[data-refused], .notice[role=status]`, chromedp.ByQuery),
			chromedp.Text(`#acct-files`, &msg, chromedp.ByQuery),
		)
		var top string
		tab.Run(t, chromedp.Text(`section[aria-labelledby="accounts-heading"]`, &top, chromedp.ByQuery))
		return top
	}
	page := connect("falsch-" + unique())
	if !strings.Contains(page, "Passwort falsch: Dateien hat Benutzername oder App-Passwort abgelehnt. Nichts wurde gespeichert.") {
		t.Errorf("a wrong app password: the page says\n%s", page)
	}
	if strings.Contains(page, "Verbunden") && strings.Contains(page, "Verbindung löschen") {
		t.Error("a wrong app password shows as Verbunden")
	}
	if page = connect("alice-pw"); !strings.Contains(page, "Gespeichert.") || !strings.Contains(page, "Verbunden") {
		t.Fatalf("the right app password: the page says\n%s", page)
	}

	var ask, done string
	tab.Run(t,
		chromedp.Click(`form[action="/settings/accounts/files/delete"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-confirm]`, chromedp.ByQuery),
		chromedp.Text(`[data-confirm]`, &ask, chromedp.ByQuery),
	)
	if !strings.Contains(ask, "wirklich löschen") {
		t.Errorf("deleting asks %q", ask)
	}
	tab.Run(t,
		chromedp.Click(`form[action="/settings/accounts/files/delete"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-deleted]`, chromedp.ByQuery),
		chromedp.Text(`[data-deleted]`, &done, chromedp.ByQuery),
	)
	if !strings.HasPrefix(done, "Gelöscht.") {
		t.Errorf("after confirming: %q, want Gelöscht", done)
	}
}

// A server that does not answer: the password cannot be checked, so it is
// not stored, and the page says the server was not reachable.
func TestAppPasswordServerUnreachable(t *testing.T) {
	o := testOIDC(t)
	cfg := strings.Replace(readFile(t, sourcesConfig(t, uniqueID("pwdown"), o, "x")),
		testenv.Server(t, "PFORTE_TEST_WEBDAV_URL"), "http://127.0.0.1:"+freePort(t)+"/dav/", 1)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": writeFile(t, t.TempDir(), "pforte.yaml", cfg)})
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	res, body := do(t, b, http.MethodPost, app.URL+"/settings/accounts/files",
		url.Values{"_csrf": {csrfOf(t, page)}, "username": {"alice"}, "password": {"alice-pw"}}, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Server nicht erreichbar: Dateien hat nicht geantwortet") || strings.Contains(body, "Verbindung löschen") {
		t.Errorf("connecting to a server that is down: %d\n%s", res.StatusCode, body)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
