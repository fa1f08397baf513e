package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// Subscribing checks what the browser sends before Pforte ever posts to it:
// only real push services (or push.allow_hosts), valid keys, named errors.
func TestPushSubscriptionsAPI(t *testing.T) {
	srv := pushtest.NewServer(t)
	o := testOIDC(t)
	app, _ := signInAppWith(t, "pushapi", o, "push: {subject: it@musterstadt.example, allow_hosts: [\""+srv.Host()+"\"]}")
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "carol", "carol-pw")
	csrf := csrfOf(t, page)
	hdr := http.Header{"X-Csrf-Token": {csrf}, "Origin": {app.URL}, "Content-Type": {"application/json"}}
	send := func(method string, body any) (int, string) {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, app.URL+"/api/push/subscriptions", strings.NewReader(string(raw)))
		req.Header = hdr.Clone()
		res, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct{ Error string }
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out.Error
	}

	keys, _ := push.GenerateVAPIDKeys()
	good := srv.NewSubscription(keys.PublicKey())
	if status, msg := send(http.MethodPost, good); status != http.StatusCreated {
		t.Fatalf("valid subscription: %d %s, want 201", status, msg)
	}
	if status, _ := send(http.MethodPost, good); status != http.StatusOK {
		t.Errorf("refreshing the same subscription: %d, want 200", status)
	}

	ssrf := good
	ssrf.Endpoint = "https://169.254.169.254/latest/meta-data"
	internal := good
	internal.Endpoint = "https://redis.internal.example/push/x"
	plain := good
	plain.Endpoint = strings.Replace(good.Endpoint, "https://", "http://", 1)
	badKey := good
	badKey.Keys.P256dh = "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	shortAuth := good
	shortAuth.Keys.Auth = "AAAA"
	for name, c := range map[string]struct {
		sub   push.Subscription
		field string
	}{
		"metadata IP (SSRF)":  {ssrf, "endpoint"},
		"not a push service":  {internal, "endpoint"},
		"plain http":          {plain, "endpoint"},
		"p256dh not on curve": {badKey, "keys.p256dh"},
		"auth not 16 bytes":   {shortAuth, "keys.auth"},
	} {
		status, msg := send(http.MethodPost, c.sub)
		if status != http.StatusBadRequest || !strings.HasPrefix(msg, c.field+":") {
			t.Errorf("%s: %d %q, want 400 naming %s", name, status, msg, c.field)
		}
	}

	// Without the CSRF token a page elsewhere cannot subscribe a user.
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/push/subscriptions", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if res, err := b.Do(req); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("subscribe without CSRF token: %d, want 403", res.StatusCode)
		}
	}

	if status, _ := send(http.MethodDelete, map[string]string{"endpoint": good.Endpoint}); status != http.StatusNoContent {
		t.Errorf("unsubscribe: %d, want 204", status)
	}

	// The page carries the tenant's public key for the browser.
	_, settings := do(t, b, http.MethodGet, app.URL+"/settings", nil, nil)
	if !strings.Contains(settings, `data-vapid-key="`) {
		t.Error("settings page lacks the VAPID public key")
	}
	_ = url.Values{}
}
