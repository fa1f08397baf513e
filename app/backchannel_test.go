package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// logoutToken asks the test provider for a back-channel logout token
// signed with its real key.
func logoutToken(t *testing.T, issuer string, form url.Values) string {
	t.Helper()
	res, err := http.PostForm(issuer+"/test/logout-token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("provider /test/logout-token: %d %s", res.StatusCode, b)
	}
	return strings.TrimSpace(string(b))
}

func postLogoutToken(t *testing.T, base, token string) int {
	t.Helper()
	res, err := http.PostForm(base+"/auth/backchannel-logout", url.Values{"logout_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// Signing out at the provider signs out of Pforte: a verified logout token
// ends the matching session; a bad one changes nothing.
func TestBackchannelLogout(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "backchannel", o)
	b := browser(t)
	if res, page := signIn(t, b, app.URL, "/", "alice", "alice-pw"); !strings.Contains(page, "Anna Schmidt") {
		t.Fatalf("sign-in failed: %d at %s", res.StatusCode, res.Request.URL)
	}
	var sub, sid string
	for _, raw := range rawSessions(t, redisURL, app.Tenant) {
		if u := sessionUser(t, app.Tenant, raw); u != nil {
			sub, sid = u.Subject, u.SID
		}
	}
	if sub == "" || sid == "" {
		t.Fatal("signed-in session lacks sub or sid")
	}

	genuine := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {sid}})
	tampered := genuine[:len(genuine)-4] + "AAAA"
	bad := map[string]string{
		"wrong audience":  logoutToken(t, o.Issuer, url.Values{"aud": {"another-client"}, "sid": {sid}}),
		"bad signature":   tampered,
		"with a nonce":    logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {sid}, "nonce": {"n"}}),
		"wrong issuer":    logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {sid}, "iss": {"https://evil.example"}}),
		"not a JWT":       "not-a-token",
		"no logout event": logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {sid}, "events": {`{"other":{}}`}}),
	}
	for name, tok := range bad {
		if status := postLogoutToken(t, app.URL, tok); status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, status)
		}
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 1 {
		t.Fatalf("after refused logout tokens: %d signed-in sessions, want 1", n)
	}

	if status := postLogoutToken(t, app.URL, genuine); status != http.StatusOK {
		t.Fatalf("genuine logout token: status %d, want 200", status)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Errorf("after back-channel logout: %d signed-in sessions, want 0", n)
	}
	nb := &http.Client{Jar: b.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, _ := do(t, nb, http.MethodGet, app.URL+"/", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("/ after back-channel logout = %d, want 303 to sign-in", res.StatusCode)
	}

	// By subject: every session of the user ends.
	b1, b2 := browser(t), browser(t)
	signIn(t, b1, app.URL, "/", "alice", "alice-pw")
	signIn(t, b2, app.URL, "/", "alice", "alice-pw")
	if n := signedIn(t, redisURL, app.Tenant); n != 2 {
		t.Fatalf("two sign-ins: %d sessions", n)
	}
	if status := postLogoutToken(t, app.URL, logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sub": {sub}})); status != http.StatusOK {
		t.Fatalf("logout by sub: status %d", status)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Errorf("after logout by sub: %d signed-in sessions, want 0", n)
	}
}

// State changes need the session's CSRF token and a same-site Origin.
func TestCSRFGuardsStateChanges(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "csrf", o)
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "bob", "bob-pw")
	if !strings.Contains(page, "Bernd Huber") {
		t.Fatal("sign-in failed")
	}
	for _, raw := range rawSessions(t, redisURL, app.Tenant) {
		if u := sessionUser(t, app.Tenant, raw); u != nil && !u.Admin {
			t.Errorf("bob is in it-admins (oidc.admin_groups) but his session is not admin")
		}
	}
	tok := csrfOf(t, page)
	for name, req := range map[string]struct {
		form url.Values
		hdr  http.Header
	}{
		"no token":      {url.Values{}, nil},
		"wrong token":   {url.Values{"_csrf": {"x" + tok}}, nil},
		"foreign site":  {url.Values{"_csrf": {tok}}, http.Header{"Origin": {"https://evil.example"}}},
		"cross-site fm": {url.Values{"_csrf": {tok}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}},
	} {
		res, _ := do(t, b, http.MethodPost, app.URL+"/logout", req.form, req.hdr)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: logout status %d, want 403", name, res.StatusCode)
		}
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 1 {
		t.Errorf("refused logouts ended the session (%d left)", n)
	}
	// The header form works too (what the page's scripts send).
	nb := &http.Client{Jar: b.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ := do(t, nb, http.MethodPost, app.URL+"/logout", url.Values{}, http.Header{"X-Csrf-Token": {tok}, "Origin": {app.URL}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("logout with X-CSRF-Token: %d, want 303", res.StatusCode)
	}
}
