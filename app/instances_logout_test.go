package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Each instance keeps signed-in sessions in memory for a few seconds; a
// logout on one instance must still end the session on every other one at
// once (pub/sub invalidation), not when the memory copy expires.
func TestLogoutEndsSessionOnEveryInstance(t *testing.T) {
	o := testOIDC(t)
	a, redisURL := signInApp(t, "twoinst", o)
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
tenants:
  - id: `+a.Tenant+`
    hosts: [127.0.0.1]
    name: Portal `+a.Tenant+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
`)
	b2 := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})

	br := browser(t) // cookies are per host, not per port: both instances see the session
	if _, page := signIn(t, br, a.URL, "/", "alice", "alice-pw"); !strings.Contains(page, "Anna Schmidt") {
		t.Fatal("sign-in on instance A failed")
	}
	noFollow := &http.Client{Jar: br.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, page := do(t, noFollow, http.MethodGet, b2.URL+"/", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(page, "Anna Schmidt") {
		t.Fatalf("instance B does not continue the session: %d", res.StatusCode)
	}

	u := onlyUser(t, redisURL, a.Tenant)
	tok := logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {u.SID}})
	if status := postLogoutToken(t, a.URL, tok); status != http.StatusOK {
		t.Fatalf("back-channel logout on A: %d", status)
	}
	deadline := time.Now().Add(3 * time.Second) // well below the 15 s memory TTL
	for {
		res, _ := do(t, noFollow, http.MethodGet, b2.URL+"/", nil, nil)
		if res.StatusCode == http.StatusSeeOther {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance B still serves the ended session (%d)", res.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
