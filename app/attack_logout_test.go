package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Issue 17, point 5: a captured logout token cannot be replayed, and a
// token issued before a session began does not end it.
func TestLogoutTokenReplayEndsNothing(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "replay", o)
	signInAlice := func() *http.Client {
		b := browser(t)
		if res, page := signIn(t, b, app.URL, "/", "alice", "alice-pw"); !strings.Contains(page, "Anna Schmidt") {
			t.Fatalf("sign-in failed: %d at %s", res.StatusCode, res.Request.URL)
		}
		return b
	}
	signInAlice()
	sub := onlyUser(t, redisURL, app.Tenant).Subject

	// Issued a minute before the session began: ends nothing.
	old := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sub": {sub}, "iat_offset": {"-60"}})
	if status := postLogoutToken(t, app.URL, old); status != http.StatusOK {
		t.Fatalf("logout token from before the session: %d, want 200 (and nothing ended)", status)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 1 {
		t.Fatalf("a logout token issued before the session began ended it (%d sessions left, want 1)", n)
	}

	// Issued now (+20 s, inside the verification leeway, so only the jti can
	// tell the replay from a new logout): ends the session once.
	tok := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sub": {sub}, "iat_offset": {"20"}})
	if status := postLogoutToken(t, app.URL, tok); status != http.StatusOK {
		t.Fatalf("genuine logout token: %d", status)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Fatalf("after back-channel logout: %d sessions, want 0", n)
	}
	b := signInAlice()
	if status := postLogoutToken(t, app.URL, tok); status != http.StatusOK {
		t.Fatalf("replayed logout token: %d, want 200 (ignored)", status)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 1 {
		t.Errorf("the replayed logout token ended the new session (%d left, want 1)", n)
	}
	if res, page := do(t, b, http.MethodGet, app.URL+"/", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(page, "Anna Schmidt") {
		t.Errorf("alice after the replay: %d at %s, want her dashboard", res.StatusCode, res.Request.URL)
	}
}
