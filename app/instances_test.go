package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// twoInstances starts two Pforte processes with the same config on one
// Redis, as two replicas behind a load balancer: same tenant, host and
// secret, different ports.
func twoInstances(t *testing.T) (one, two city) {
	t.Helper()
	o := testOIDC(t)
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	c := city{ID: uniqueID("replica"), Color: "#00664f", Token: uniqueID("token-replica")}
	c.Name = "Stadtportal " + c.ID
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
tenants:
  - id: `+c.ID+`
    hosts: [127.0.0.1]
    name: `+c.Name+`
    theme: {primary_color: "`+c.Color+`"}
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
    api_tokens: [{name: monitoring, sha256: `+sha256Hex(c.Token)+`}]
`)
	one, two = c, c
	one.Base = startApp(t, map[string]string{"PFORTE_CONFIG": cfg}).URL
	two.Base = startApp(t, map[string]string{"PFORTE_CONFIG": cfg}).URL
	if one.Base == two.Base {
		t.Fatalf("both instances listen on %s", one.Base)
	}
	return one, two
}

// Sign in through one instance, carry on through the other: the session
// lives in Redis, not in either process.
func TestSessionContinuesOnAnotherInstance(t *testing.T) {
	one, two := twoInstances(t)
	b := browser(t)
	_, page := signIn(t, b, one.Base, "/", "carol", "carol-pw")
	if !strings.Contains(page, "Carla") {
		t.Fatalf("sign-in through instance one did not reach the portal:\n%.400s", page)
	}
	// Cookies belong to the host, not the port: the load balancer's view.
	res, page2 := do(t, b, http.MethodGet, two.Base+"/", nil, nil)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" || !strings.Contains(page2, "Carla") {
		t.Fatalf("instance two: %d at %s, want carol's portal without signing in again", res.StatusCode, res.Request.URL)
	}
	if res, _ := do(t, b, http.MethodGet, two.Base+"/api/dashboard", nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("instance two /api/dashboard = %d, want 200", res.StatusCode)
	}

	// The CSRF token from a page of one is valid on two (it is the
	// session's), and signing out on two ends the session on one too.
	plain := &http.Client{Jar: b.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ = do(t, plain, http.MethodPost, two.Base+"/logout", url.Values{"_csrf": {csrfOf(t, page)}}, http.Header{"Origin": {two.Base}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout on instance two with one's CSRF token = %d, want 303", res.StatusCode)
	}
	if res, _ := do(t, plain, http.MethodGet, one.Base+"/api/dashboard", nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after logout on two, instance one still serves the session (%d), want 401", res.StatusCode)
	}
}

// An announcement published through one instance reaches the open pages
// served by the other within moments, through Redis pub/sub.
func TestAnnouncementPublishedOnOneInstanceStreamsOnTheOther(t *testing.T) {
	one, two := twoInstances(t)
	b := browser(t)
	signIn(t, b, one.Base, "/", "alice", "alice-pw")
	stream := openStream(t, b, two.Base)

	title := "Netzwerkwartung heute Abend " + one.ID
	id := publish(t, one, title)
	ev := stream.next(t, 10*time.Second)
	if !strings.Contains(ev, "event: announcement") || !strings.Contains(ev, id) || !strings.Contains(ev, title) {
		t.Errorf("instance two's stream got %q, want the announcement %s published on one", ev, id)
	}
	// And both instances list it.
	for _, base := range []string{one.Base, two.Base} {
		if got := bodyOf(t, b, base+"/api/announcements"); !strings.Contains(got, id) {
			t.Errorf("%s/api/announcements lacks %s", base, id)
		}
	}
}
