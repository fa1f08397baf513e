package main

import (
	"bytes"
	"encoding/gob"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// tenantKeys lists every stored key of tenant id with its TTL.
func tenantKeys(t *testing.T, redisURL, id string) map[string]time.Duration {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	keys, err := rc.Keys(t.Context(), "t:"+id+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Duration{}
	for _, k := range keys {
		out[k] = rc.TTL(t.Context(), k).Val()
	}
	return out
}

// Issue 17, point 2: POSTs without a session (even to unknown paths) are
// refused by the CSRF check and store nothing.
func TestAnonymousPostsStoreNothing(t *testing.T) {
	app, redisURL := signInApp(t, "anonpost", testOIDC(t))
	before := tenantKeys(t, redisURL, app.Tenant)
	paths := []string{"/logout", "/nope", "/login/demo", "/api/push/subscriptions", "/settings/accounts/mail", "/announcements/x/ack"}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range 1000 {
		res, err := c.PostForm(app.URL+paths[i%len(paths)], url.Values{"_csrf": {"forged"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("anonymous POST %s: %d, want 403", paths[i%len(paths)], res.StatusCode)
		}
	}
	after := tenantKeys(t, redisURL, app.Tenant)
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("1,000 anonymous POSTs created key %s", k)
		}
	}
}

// Issue 17, point 2: /login repeated with one cookie keeps at most three
// pending sign-ins, in one session that expires in minutes, not hours.
func TestRepeatedLoginKeepsFewFlows(t *testing.T) {
	app, redisURL := signInApp(t, "anonlogin", testOIDC(t))
	b := browser(t)
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for range 500 {
		res, _ := do(t, b, http.MethodGet, app.URL+"/login", nil, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("/login: %d, want 303 to the provider", res.StatusCode)
		}
	}
	sessions := rawSessions(t, redisURL, app.Tenant)
	keys := tenantKeys(t, redisURL, app.Tenant)
	n := 0
	for k, raw := range sessions {
		if strings.HasSuffix(k, "fiber-storage-index") {
			continue
		}
		n++
		var data map[string]any
		if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&data); err != nil {
			t.Fatalf("decode session: %v", err)
		}
		flows := 0
		for f := range data {
			if strings.HasPrefix(f, "flow:") {
				flows++
			}
		}
		if flows > 3 {
			t.Errorf("session holds %d pending sign-ins after 500 /login, want at most 3", flows)
		}
		if ttl := keys[k]; ttl <= 0 || ttl > 15*time.Minute {
			t.Errorf("anonymous session lives %v, want at most 15 min", ttl)
		}
	}
	if n != 1 {
		t.Errorf("500 /login with one cookie stored %d sessions, want 1", n)
	}
	for k, ttl := range keys {
		if strings.Contains(k, ":sess") && ttl < 0 {
			t.Errorf("key %s has no TTL", k)
		}
	}
	// The newest flow still signs in.
	if res, page := signIn(t, b2(b), app.URL, "/", "alice", "alice-pw"); !strings.Contains(page, "Anna Schmidt") {
		t.Fatalf("sign-in after the flood failed: %d at %s", res.StatusCode, res.Request.URL)
	}
}

// b2 is b following redirects again (same cookies).
func b2(b *http.Client) *http.Client { return &http.Client{Jar: b.Jar} }
