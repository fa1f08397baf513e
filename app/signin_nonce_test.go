package main

import (
	"net/http"
	"strings"
	"testing"
)

// An ID token whose nonce is not the one this sign-in sent (a replayed or
// injected token) is refused: the test provider puts a wrong nonce into
// eve's ID tokens, everything else about them is genuine.
func TestSignInRefusesWrongNonce(t *testing.T) {
	o := testOIDC(t)
	app, redisURL := signInApp(t, "nonce", o)

	res, page := signIn(t, browser(t), app.URL, "/", "eve", "eve-pw")
	if res.StatusCode < 400 || res.StatusCode >= 500 || strings.Contains(page, "Guten Tag") || !strings.Contains(page, "Anmeldung") {
		t.Errorf("sign-in with a wrong nonce ended %d at %s; want a 4xx sign-in error page, not the start page\n%s", res.StatusCode, res.Request.URL, page)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Errorf("a sign-in with a wrong nonce created %d signed-in session(s)", n)
	}
	// The same provider and client sign a genuine user in.
	res, page = signIn(t, browser(t), app.URL, "/", "carol", "carol-pw")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Guten Tag, Carla") {
		t.Errorf("carol's sign-in ended %d at %s; want the start page", res.StatusCode, res.Request.URL)
	}
}
