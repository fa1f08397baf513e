package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// offlineApp starts Pforte with a tenant that has oidc.offline_access and
// returns it with background access as another instance an hour later
// builds it (same store and secret_key: every access token has expired).
func offlineApp(t *testing.T, o oidcEnv) (*testApp, *offline.Access) {
	t.Helper()
	id := uniqueID("offline")
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal `+id+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", offline_access: true}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	app.Tenant = id
	st, err := store.Open(context.Background(), redisURL, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	sealer, err := auth.NewSealer(testSecret, "offline refresh token v1")
	if err != nil {
		t.Fatal(err)
	}
	cfgOIDC := &config.OIDC{Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.Secret, OfflineAccess: true}
	later := func() time.Time { return time.Now().Add(time.Hour) }
	return app, offline.New(st, sealer, auth.NewProviders(&http.Client{Timeout: 10 * time.Second}, nil), map[string]*config.OIDC{id: cfgOIDC}, later)
}

// signInSession signs user in with a new browser and returns the stored
// session's user (with its tokens).
func signInSession(t *testing.T, app *testApp, user, name string) *auth.User {
	t.Helper()
	before := map[string]bool{}
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	for k := range rawSessions(t, redisURL, app.Tenant) {
		before[k] = true
	}
	if res, page := signIn(t, browser(t), app.URL, "/", user, user+"-pw"); !strings.Contains(page, name) {
		t.Fatalf("sign-in failed: %d at %s", res.StatusCode, res.Request.URL)
	}
	for k, raw := range rawSessions(t, redisURL, app.Tenant) {
		if u := sessionUser(t, app.Tenant, raw); u != nil && !before[k] {
			if u.Tokens.Refresh == "" {
				t.Fatal("the session has no refresh token (offline_access not requested?)")
			}
			return u
		}
	}
	t.Fatal("no new session")
	return nil
}

// A user with reminders on whom the provider logs out of every session
// (a back-channel logout token naming only the subject) has no background
// access left, and the settings can say why; a logout of one session (its
// sid) leaves reminders running.
func TestLogoutEverywhereForgetsBackgroundAccess(t *testing.T) {
	o := testOIDC(t)
	app, a := offlineApp(t, o)
	u := signInSession(t, app, "alice", "Anna Schmidt")
	ctx := t.Context()
	// Turning reminders on keeps the session's refresh token (what the
	// settings handler does).
	if err := a.Keep(ctx, app.Tenant, u.Subject, u.Tokens.Refresh); err != nil {
		t.Fatal(err)
	}
	one := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {u.SID}})
	if status := postLogoutToken(t, app.URL, one); status != http.StatusOK {
		t.Fatalf("logout of one session: status %d", status)
	}
	if s, _ := a.Status(ctx, app.Tenant, u.Subject); !s.Kept {
		t.Fatalf("after a logout of one session: background access %s, want kept", s)
	}
	everywhere := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sub": {u.Subject}})
	if status := postLogoutToken(t, app.URL, everywhere); status != http.StatusOK {
		t.Fatalf("logout everywhere: status %d", status)
	}
	if s, _ := a.Status(ctx, app.Tenant, u.Subject); s.Kept || s.Stopped != offline.LogoutEverywhere {
		t.Fatalf("after logout everywhere: background access %s, want stopped", s)
	}
}

// Reminders outlive the session they were turned on in: the person signs
// in on another device, then signs out of the first one at the provider
// (which revokes that session's refresh token); an hour later Pforte still
// reads their calendar, with the newest sign-in's token it kept.
func TestSignInKeepsNewestBackgroundToken(t *testing.T) {
	o := testOIDC(t)
	app, a := offlineApp(t, o)
	first := signInSession(t, app, "bob", "Bernd Huber")
	ctx := t.Context()
	if err := a.Keep(ctx, app.Tenant, first.Subject, first.Tokens.Refresh); err != nil {
		t.Fatal(err)
	}
	signInSession(t, app, "bob", "Bernd Huber")
	q := url.Values{"id_token_hint": {first.Tokens.ID}, "post_logout_redirect_uri": {app.URL + "/"}}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(o.Issuer + "/end_session?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end_session: status %d", res.StatusCode)
	}
	tok, err := a.AccessToken(ctx, app.Tenant, first.Subject)
	if err != nil {
		t.Fatalf("background access after the first session ended: %v", err)
	}
	if !testenv.Introspect(t, o.Introspect, tok) {
		t.Fatal("the access token is not active")
	}
}
