package main

import (
	"bufio"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// storedValues returns every value stored under tenant id (strings, hash
// fields, set members), as someone reading Redis or its dump would see it.
func storedValues(t *testing.T, redisURL, id string) map[string]string {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	ctx := t.Context()
	keys, err := rc.Keys(ctx, "t:"+id+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		switch rc.Type(ctx, k).Val() {
		case "string":
			out[k] = rc.Get(ctx, k).Val()
		case "hash":
			for f, v := range rc.HGetAll(ctx, k).Val() {
				out[k] += f + "=" + v + "\n"
			}
		case "zset":
			out[k] = strings.Join(rc.ZRange(ctx, k, 0, -1).Val(), "\n")
		}
	}
	return out
}

// Issue 17, point 6: the cached dashboard (mail subjects and senders) is
// sealed at rest, gone after logout and after back-channel logout, and
// every per-session record expires.
func TestDashboardCacheSealedAndDroppedOnLogout(t *testing.T) {
	o := testOIDC(t)
	mark := unique()
	subject := "Personalakte Müller " + mark
	seedMail(t, "alice", "Personalamt <personal@musterstadt.example>", subject, time.Now().Add(time.Minute))
	id := uniqueID("sealed")
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", scopes: [groups, offline_access]}
    mail: {imap: "`+testenv.Server(t, "PFORTE_TEST_IMAP_ADDR")+`", tls: none, auth: bearer}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	if !strings.Contains(page, mark) {
		t.Fatalf("dashboard does not show the seeded mail %q", subject)
	}
	d := apiDashboard(t, b, app.URL)
	if _, ok := messageWith(d, subject); !ok {
		t.Fatalf("mail: %+v", d.Mail)
	}
	vals := storedValues(t, redisURL, id)
	dashKey := ""
	for k, v := range vals {
		if strings.Contains(v, mark) || strings.Contains(v, "personal@musterstadt") {
			t.Errorf("%s holds the mail subject or sender in clear text", k)
		}
		if strings.Contains(k, ":dash:") {
			dashKey = k
		}
	}
	if dashKey == "" {
		t.Fatal("no cached dashboard stored")
	}
	for k, ttl := range tenantKeys(t, redisURL, id) {
		if (strings.Contains(k, ":sess") || strings.Contains(k, ":dash:")) && ttl < 0 {
			t.Errorf("per-session record %s has no TTL", k)
		}
	}

	// Logout deletes the cached dashboard.
	nb := &http.Client{Jar: b.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ := do(t, nb, http.MethodPost, app.URL+"/logout", url.Values{"_csrf": {csrfOf(t, page)}}, http.Header{"Origin": {app.URL}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if _, ok := storedValues(t, redisURL, id)[dashKey]; ok {
		t.Error("cached dashboard survives logout")
	}

	// So does a back-channel logout naming only the provider session.
	b = browser(t)
	signIn(t, b, app.URL, "/", "alice", "alice-pw")
	apiDashboard(t, b, app.URL)
	if _, ok := storedValues(t, redisURL, id)[dashKey]; !ok {
		t.Fatal("no cached dashboard after signing in again")
	}
	sid := onlyUser(t, redisURL, id).SID
	if status := postLogoutToken(t, app.URL, logoutToken(t, o.Issuer, url.Values{"aud": {o.ClientID}, "sid": {sid}})); status != http.StatusOK {
		t.Fatalf("back-channel logout: %d", status)
	}
	if _, ok := storedValues(t, redisURL, id)[dashKey]; ok {
		t.Error("cached dashboard survives back-channel logout")
	}
}

// Issue 17, point 9: a request with two Host headers (the first naming
// one tenant, the second another) is refused, not served for the last.
func TestDuplicateHostRefused(t *testing.T) {
	app := twoTenantApp(t)
	addr := strings.TrimPrefix(app.URL, "http://")
	send := func(hosts ...string) string {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		req := "GET /manifest.webmanifest HTTP/1.1\r\n"
		for _, h := range hosts {
			req += "Host: " + h + "\r\n"
		}
		if _, err := conn.Write([]byte(req + "Connection: close\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Status
	}
	one, two := "a.example", "b.example"
	if got := send(one, two); !strings.HasPrefix(got, "400") {
		t.Errorf("two Host headers: %s, want 400", got)
	}
	if got := send(one, strings.ToUpper(two)); !strings.HasPrefix(got, "400") {
		t.Errorf("two Host headers (second in capitals): %s, want 400", got)
	}
	if got := send(two); !strings.HasPrefix(got, "200") {
		t.Errorf("one Host header: %s, want 200", got)
	}
}
