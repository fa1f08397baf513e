package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

func onlyUser(t *testing.T, redisURL, tenant string) *auth.User {
	t.Helper()
	var found *auth.User
	for _, raw := range rawSessions(t, redisURL, tenant) {
		if u := sessionUser(t, tenant, raw); u != nil {
			if found != nil {
				t.Fatal("more than one signed-in session")
			}
			found = u
		}
	}
	if found == nil {
		t.Fatal("no signed-in session")
	}
	return found
}

// Access tokens are renewed shortly before they expire; when the provider
// refuses the refresh, the session ends and the user is asked to sign in.
func TestAccessTokenRefresh(t *testing.T) {
	o := testOIDC(t)
	o.ClientID = testenv.Server(t, "PFORTE_TEST_OIDC_SOON_CLIENT_ID") // tokens live 30 s: always due for refresh
	o.Secret = testenv.Server(t, "PFORTE_TEST_OIDC_SOON_CLIENT_SECRET")
	app, redisURL := signInApp(t, "refresh", o)
	b := browser(t)
	if res, page := signIn(t, b, app.URL, "/", "carol", "carol-pw"); !strings.Contains(page, "Carla Özdemir") {
		t.Fatalf("sign-in failed: %d at %s\n%s\n%s", res.StatusCode, res.Request.URL, page, app.Logs())
	}
	first := onlyUser(t, redisURL, app.Tenant).Tokens

	if res, page := do(t, b, http.MethodGet, app.URL+"/", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(page, "Carla Özdemir") {
		t.Fatalf("next request: %d", res.StatusCode)
	}
	second := onlyUser(t, redisURL, app.Tenant).Tokens
	if second.Access == first.Access || !second.Expiry.After(first.Expiry) {
		t.Fatalf("access token not renewed before expiry (expiry %v → %v)", first.Expiry, second.Expiry)
	}
	if !testenv.Introspect(t, o.Introspect, second.Access) {
		t.Error("renewed access token is not active at the provider")
	}

	// The provider session ends behind Pforte's back: the next refresh is
	// refused and the user signs in again.
	end := o.Issuer + "/end_session?" + url.Values{"id_token_hint": {second.ID}, "post_logout_redirect_uri": {app.URL + "/"}}.Encode()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, _ := do(t, noFollow, http.MethodGet, end, nil, nil); res.StatusCode >= 400 {
		t.Fatalf("end_session at the provider: %d", res.StatusCode)
	}
	nb := &http.Client{Jar: b.Jar, CheckRedirect: noFollow.CheckRedirect}
	res, _ := do(t, nb, http.MethodGet, app.URL+"/", nil, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("after a refused refresh: %d → %q, want 303 → /login", res.StatusCode, res.Header.Get("Location"))
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 0 {
		t.Errorf("%d signed-in sessions after a refused refresh, want 0", n)
	}
}
