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

// A user with reminders on whom the provider logs out of every session
// (a back-channel logout token naming only the subject) has no background
// access left, and the settings can say why; a logout of one session (its
// sid) leaves reminders running.
func TestLogoutEverywhereForgetsBackgroundAccess(t *testing.T) {
	o := testOIDC(t)
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
	if res, page := signIn(t, browser(t), app.URL, "/", "alice", "alice-pw"); !strings.Contains(page, "Anna Schmidt") {
		t.Fatalf("sign-in failed: %d at %s", res.StatusCode, res.Request.URL)
	}
	var u *auth.User
	for _, raw := range rawSessions(t, redisURL, id) {
		if su := sessionUser(t, id, raw); su != nil {
			u = su
		}
	}
	if u == nil || u.Tokens.Refresh == "" {
		t.Fatal("the session has no refresh token (offline_access not requested?)")
	}
	// Turning reminders on keeps the session's refresh token (what the
	// settings handler does), with the key Pforte derives from secret_key.
	st, err := store.Open(context.Background(), redisURL, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sealer, err := auth.NewSealer(testSecret, "offline refresh token v1")
	if err != nil {
		t.Fatal(err)
	}
	cfgOIDC := &config.OIDC{Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.Secret, OfflineAccess: true}
	a := offline.New(st, sealer, auth.NewProviders(&http.Client{Timeout: 10 * time.Second}, nil), map[string]*config.OIDC{id: cfgOIDC}, nil)
	ctx := t.Context()
	if err := a.Keep(ctx, id, u.Subject, u.Tokens.Refresh); err != nil {
		t.Fatal(err)
	}

	one := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {u.SID}})
	if status := postLogoutToken(t, app.URL, one); status != http.StatusOK {
		t.Fatalf("logout of one session: status %d", status)
	}
	if s, _ := a.Status(ctx, id, u.Subject); !s.Kept {
		t.Fatalf("after a logout of one session: background access %s, want kept", s)
	}
	everywhere := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sub": {u.Subject}})
	if status := postLogoutToken(t, app.URL, everywhere); status != http.StatusOK {
		t.Fatalf("logout everywhere: status %d", status)
	}
	if s, _ := a.Status(ctx, id, u.Subject); s.Kept || s.Stopped != offline.LogoutEverywhere {
		t.Fatalf("after logout everywhere: background access %s, want stopped", s)
	}
}
