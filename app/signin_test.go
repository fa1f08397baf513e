package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The whole sign-in a user goes through, without a browser: / sends a
// signed-out user to the provider, the provider sends them back greeted by
// name, and signing out ends the provider session too.
func TestSignInAndOutEverywhere(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "signin", o)
	b := browser(t)

	res, page := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" || !strings.Contains(page, "Guten Tag, Anna Schmidt") {
		t.Fatalf("after sign-in: %d at %s; want the start page greeting Anna Schmidt\n%s", res.StatusCode, res.Request.URL, page)
	}

	// The session in Redis is sealed: no token in clear text.
	sessions := rawSessions(t, redisURL, app.Tenant)
	if len(sessions) != 1 {
		t.Fatalf("want exactly one stored session, got %d", len(sessions))
	}
	var u *struct{ access, refresh, id string }
	for _, raw := range sessions {
		su := sessionUser(t, app.Tenant, raw)
		if su == nil || su.Name != "Anna Schmidt" || !su.InGroup("hr") || su.Admin {
			t.Fatalf("session user = %+v; want Anna Schmidt in hr, not admin", su)
		}
		u = &struct{ access, refresh, id string }{su.Tokens.Access, su.Tokens.Refresh, su.Tokens.ID}
		for name, tok := range map[string]string{"access": u.access, "refresh": u.refresh, "id": u.id} {
			if tok == "" {
				t.Fatalf("session has no %s token", name)
			}
			if strings.Contains(string(raw), tok) {
				t.Errorf("stored session contains the %s token in clear text", name)
			}
		}
	}
	if !testenv.Introspect(t, o.Introspect, u.access) {
		t.Fatal("access token inactive right after sign-in")
	}

	// Sign out: Pforte sends the browser to the provider's end_session and
	// back; the provider reports the token inactive; / leads to sign-in.
	res, _ = do(t, b, http.MethodPost, app.URL+"/logout", url.Values{"_csrf": {csrfOf(t, page)}}, http.Header{"Origin": {app.URL}})
	if !strings.HasPrefix(res.Request.URL.String(), o.Issuer) {
		t.Errorf("after logout the browser is at %s, want the provider (sign-in page)", res.Request.URL)
	}
	if testenv.Introspect(t, o.Introspect, u.access) {
		t.Error("provider still reports the access token active after logout")
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Errorf("%d signed-in session(s) left in Redis after logout", n)
	}
	nb := &http.Client{Jar: b.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ = do(t, nb, http.MethodGet, app.URL+"/", nil, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("/ after logout = %d → %q, want 303 → /login", res.StatusCode, res.Header.Get("Location"))
	}

	// Nothing secret reached the log.
	logs := app.Logs()
	for name, secret := range map[string]string{"access token": u.access, "refresh token": u.refresh, "id token": u.id, "client secret": o.Secret} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the %s", name)
		}
	}
	if strings.Contains(logs, "code=") {
		t.Error("the log contains an authorization code query")
	}
}

// /login?next= only ever leads to this site.
func TestSignInNextStaysOnSite(t *testing.T) {
	o := testOIDC(t)
	app, _ := signInApp(t, "nextcheck", o)
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "/%2F%2Fevil.example", "javascript:alert(1)"} {
		b := browser(t)
		res, _ := signIn(t, b, app.URL, "/login?next="+url.QueryEscape(next), "carol", "carol-pw")
		if got := res.Request.URL; got.Host != strings.TrimPrefix(app.URL, "http://") || got.Path != "/" {
			t.Errorf("next=%q ended at %s, want %s/", next, got, app.URL)
		}
	}
	b := browser(t)
	res, _ := signIn(t, b, app.URL, "/login?next="+url.QueryEscape("/?tab=files"), "carol", "carol-pw")
	if res.Request.URL.RequestURI() != "/?tab=files" {
		t.Errorf("a same-site next ended at %s, want /?tab=files", res.Request.URL.RequestURI())
	}
}

// Forged, replayed and mismatched callbacks are refused with a 4xx and no session.
func TestCallbackRefusals(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "refusals", o)

	// Stop at Pforte's callback to hold the code.
	b := browser(t)
	b.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/auth/callback" && "http://"+req.URL.Host == app.URL {
			return http.ErrUseLastResponse
		}
		return nil
	}
	res, _ := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	callback, err := res.Location()
	if err != nil || callback.Path != "/auth/callback" {
		t.Fatalf("expected a redirect to the callback, got %d %v", res.StatusCode, err)
	}
	q := callback.Query()

	cases := []struct {
		name   string
		client *http.Client
		url    string
	}{
		{"state mismatch", b, app.URL + "/auth/callback?state=forged&code=" + q.Get("code")},
		{"no state", b, app.URL + "/auth/callback?code=" + q.Get("code")},
		{"stolen code in another browser", browser(t), callback.String()},
	}
	refused := func(name string, client *http.Client, target string) {
		t.Helper()
		res, body := do(t, client, http.MethodGet, target, nil, nil)
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("%s: status %d, want 4xx", name, res.StatusCode)
		}
		if strings.Contains(body, "goroutine") || !strings.Contains(body, "Anmeldung") {
			t.Errorf("%s: want a friendly German page, got:\n%s", name, body)
		}
	}
	for _, c := range cases {
		refused(c.name, c.client, c.url)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Fatalf("refused callbacks created %d signed-in session(s)", n)
	}

	// The real callback signs in once; the same code again is refused.
	res, page := do(t, b, http.MethodGet, callback.String(), nil, nil)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" || !strings.Contains(page, "Anna Schmidt") {
		t.Fatalf("genuine callback ended %d at %s, want the start page greeting Anna Schmidt", res.StatusCode, res.Request.URL)
	}
	refused("replayed code", b, callback.String())
	refused("replayed code in another browser", browser(t), callback.String())

	// A code the provider never issued, with a genuine state.
	b2 := browser(t)
	b2.CheckRedirect = b.CheckRedirect
	res, _ = signIn(t, b2, app.URL, "/", "carol", "carol-pw")
	cb2, _ := res.Location()
	refused("forged code", b2, app.URL+"/auth/callback?state="+url.QueryEscape(cb2.Query().Get("state"))+"&code=forged")
	if n := signedIn(t, redisURL, app.Tenant); n != 1 {
		t.Errorf("%d signed-in sessions, want only the genuine one", n)
	}
}

func signedIn(t *testing.T, redisURL, id string) int {
	n := 0
	for _, raw := range rawSessions(t, redisURL, id) {
		if sessionUser(t, id, raw) != nil {
			n++
		}
	}
	return n
}

// A provider that does not answer gets a friendly 502 page in the user's
// language, never a 500 or a stack trace.
func TestProviderUnreachableIsFriendly(t *testing.T) {
	dead := fmt.Sprintf("http://127.0.0.1:%d", testenv.FreePort(t))
	app, _ := signInApp(t, "deadidp", oidcEnv{Issuer: dead, ClientID: "pforte", Secret: "x"})
	for lang, want := range map[string]string{"de": "Anmeldedienst nicht erreichbar", "en": "Sign-in service unavailable"} {
		res, body := do(t, browser(t), http.MethodGet, app.URL+"/", nil, http.Header{"Accept-Language": {lang}})
		if res.StatusCode != http.StatusBadGateway || !strings.Contains(body, want) {
			t.Errorf("%s: status %d, want 502 with %q\n%s", lang, res.StatusCode, want, body)
		}
	}
}
