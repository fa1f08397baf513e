package main

import (
	"bytes"
	"crypto/rand"
	"encoding/gob"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// oidcEnv is the test provider the stack started.
type oidcEnv struct {
	Issuer, ClientID, Secret, Introspect string
}

func testOIDC(t *testing.T) oidcEnv {
	return oidcEnv{
		Issuer:     testenv.Server(t, "PFORTE_TEST_OIDC_ISSUER"),
		ClientID:   testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_ID"),
		Secret:     testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_SECRET"),
		Introspect: testenv.Server(t, "PFORTE_TEST_OIDC_INTROSPECT_URL"),
	}
}

const testSecret = "test-secret-key-0123456789-abcdefghijkl"

// signInApp starts Pforte with one tenant (id) signing in through the test
// provider and storing in the shared Redis.
func signInApp(t *testing.T, id string, o oidcEnv) (*testApp, string) {
	t.Helper()
	return signInAppWith(t, id, o, "")
}

// signInAppWith is signInApp with extra top-level YAML (e.g. a push section).
func signInAppWith(t *testing.T, id string, o oidcEnv, extra string) (*testApp, string) {
	t.Helper()
	id = uniqueID(id)
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
`+extra+`
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal `+id+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	app.Tenant = id
	return app, redisURL
}

// uniqueID makes a tenant id unique per test run: tests share one Redis.
func uniqueID(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%x", prefix, b)
}

// browser is an HTTP client with cookies that follows redirects, like a
// browser without JavaScript.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// signIn opens startPath on Pforte, lands on the provider's login form,
// submits it and returns the final page after all redirects.
func signIn(t *testing.T, b *http.Client, base, startPath, user, pass string) (*http.Response, string) {
	t.Helper()
	res, body := do(t, b, http.MethodGet, base+startPath, nil, nil)
	action, fields, err := testenv.LoginForm([]byte(body), res.Request.URL)
	if err != nil {
		t.Fatalf("%s did not lead to the provider's login form (at %s, status %d): %v", startPath, res.Request.URL, res.StatusCode, err)
	}
	fields.Set("username", user)
	fields.Set("password", pass)
	return do(t, b, http.MethodPost, action, fields, nil)
}

func do(t *testing.T, b *http.Client, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := b.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfMeta.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no csrf-token meta tag")
	}
	return m[1]
}

// rawSessions returns the stored bytes of every session of tenant id, as an
// attacker reading Redis would see them.
func rawSessions(t *testing.T, redisURL, id string) map[string][]byte {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	ctx := t.Context()
	keys, err := rc.Keys(ctx, "t:"+id+":sess:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, k := range keys {
		v, err := rc.Get(ctx, k).Bytes()
		if err == nil {
			out[k] = v
		}
	}
	return out
}

// sessionUser opens a stored session with the app's key (what only Pforte can do).
func sessionUser(t *testing.T, id string, raw []byte) *auth.User {
	t.Helper()
	var data map[string]any
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&data); err != nil {
		t.Fatalf("decode session: %v", err)
	}
	sealed, ok := data["u"].([]byte)
	if !ok {
		return nil
	}
	s, err := auth.NewSealer(testSecret, "session v1")
	if err != nil {
		t.Fatal(err)
	}
	u, err := auth.OpenUser(s, id, sealed)
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	return u
}

// rawKey returns every stored value under tenant id's keys with prefix, as
// one string, for "nothing in clear text" checks.
func rawKey(t *testing.T, app *testApp, id, prefix string) string {
	t.Helper()
	opts, err := redis.ParseURL(testenv.Server(t, "PFORTE_TEST_REDIS_URL"))
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	keys, err := rc.Keys(t.Context(), "t:"+id+":"+prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("no keys t:%s:%s*: %v", id, prefix, err)
	}
	var sb strings.Builder
	for _, k := range keys {
		vals, _ := rc.HGetAll(t.Context(), k).Result()
		for f, v := range vals {
			sb.WriteString(f + "=" + v + "\n")
		}
	}
	return sb.String()
}
