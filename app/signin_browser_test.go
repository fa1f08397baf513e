package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The provider's login form (scripts/oidc-provider, zitadel's example OP).
const (
	providerUser     = `#username`
	providerPassword = `#password`
	providerSubmit   = `form button[type="submit"]`
)

// signOutButton is the header's "Abmelden" button, found by the label the
// user reads.
const signOutButton = `//header//form[@action="/logout"]//button[normalize-space(.)="Abmelden"]`

// Sign-in as a user lives it, in a real browser: / sends a signed-out user
// to the provider's login page, signing in there leads back to a greeting,
// and "Abmelden" ends the session here and at the provider.
func TestBrowserSignInAndOut(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "browser", o)
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")
	assertGreeting(t, tab, app.URL+"/", "Guten Tag, Anna Schmidt")

	// Sign out with the page's own button (a POST form with the CSRF token).
	u := signedInUser(t, redisURL, app.Tenant)
	if !testenv.Introspect(t, o.Introspect, u.Tokens.Access) {
		t.Fatal("the access token is inactive right after sign-in")
	}
	tab.Run(t, chromedp.Click(signOutButton, chromedp.BySearch))
	assertOnProviderLogin(t, tab, o, "after Abmelden")
	if testenv.Introspect(t, o.Introspect, u.Tokens.Access) {
		t.Error("the provider still reports the access token active after Abmelden")
	}
	tab.Run(t, chromedp.Navigate(app.URL+"/"))
	assertOnProviderLogin(t, tab, o, "opening / after Abmelden")
	if d := tab.Dialogs(); len(d) > 0 {
		t.Errorf("pages opened JavaScript dialogs: %+v", d)
	}
}

// When the provider ends the session over the back channel (the user signed
// out elsewhere), the next reload in the browser asks for the password again.
func TestBrowserBackchannelLogout(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "browserbcl", o)
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")
	assertGreeting(t, tab, app.URL+"/", "Guten Tag, Anna Schmidt")
	u := signedInUser(t, redisURL, app.Tenant)
	tok := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {u.SID}})
	if status := postLogoutToken(t, app.URL, tok); status != http.StatusOK {
		t.Fatalf("back-channel logout: status %d, want 200", status)
	}
	tab.Run(t, chromedp.Reload())
	assertOnProviderLogin(t, tab, o, "reloading / after the back-channel logout")
}

// A sign-in link that names another site as its destination still ends on
// Pforte: nobody can use Pforte's sign-in to send a user to a phishing page.
func TestBrowserSignInNextStaysOnSite(t *testing.T) {
	o := testOIDC(t)
	app, _ := signInApp(t, "browsernext", o)
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	browserSignIn(t, tab, o, app.URL+"/login?next="+url.QueryEscape("https://evil.example/"), "alice", "alice-pw")
	assertGreeting(t, tab, app.URL+"/", "Guten Tag, Anna Schmidt")
}

// browserSignIn opens start on Pforte, which must show the provider's login
// page, and signs in there as the user would: typing into the form and
// pressing its button. It returns once Pforte shows a signed-in page.
func browserSignIn(t *testing.T, tab *testenv.Tab, o oidcEnv, start, user, pass string) {
	t.Helper()
	tab.Run(t, chromedp.Navigate(start))
	assertOnProviderLogin(t, tab, o, "opening "+start+" signed out")
	tab.Run(t,
		chromedp.SendKeys(providerUser, user, chromedp.ByQuery),
		chromedp.SendKeys(providerPassword, pass, chromedp.ByQuery),
		chromedp.Click(providerSubmit, chromedp.ByQuery),
	)
	// The sign-out button is on every page a signed-in user sees.
	tab.WaitVisible(t, signOutButton, chromedp.BySearch)
}

// assertOnProviderLogin: the tab shows the provider's login page, on the
// provider's own origin (not a copy of the form on Pforte's).
func assertOnProviderLogin(t *testing.T, tab *testenv.Tab, o oidcEnv, when string) {
	t.Helper()
	tab.Run(t, chromedp.WaitVisible(providerPassword, chromedp.ByQuery))
	if loc := tab.Location(t); !strings.HasPrefix(loc, o.Issuer+"/") {
		t.Fatalf("%s: the password field is on %s, want the provider %s", when, loc, o.Issuer)
	}
}

// assertGreeting: the tab is at want and its heading greets the user.
func assertGreeting(t *testing.T, tab *testenv.Tab, want, greeting string) {
	t.Helper()
	var h1 string
	tab.Run(t, chromedp.Text(`main h1`, &h1, chromedp.ByQuery))
	if loc := tab.Location(t); loc != want {
		t.Errorf("after sign-in the browser is at %s, want %s", loc, want)
	}
	if h1 != greeting {
		t.Errorf("heading %q, want %q", h1, greeting)
	}
}

// signedInUser is the one signed-in session of the tenant, as Pforte stored it.
func signedInUser(t *testing.T, redisURL, tenant string) *auth.User {
	t.Helper()
	var found []*auth.User
	for _, raw := range rawSessions(t, redisURL, tenant) {
		if u := sessionUser(t, tenant, raw); u != nil {
			found = append(found, u)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d signed-in sessions stored, want 1", len(found))
	}
	return found[0]
}
