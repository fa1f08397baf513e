package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// freshWindow waits, when the current clock-aligned rate-limit window of
// length w is about to end, for the next one to begin, so a test's requests
// all fall into one window (windows are fixed: ratelimit.Allow).
func freshWindow(w time.Duration) {
	if left := time.Until(time.Now().Truncate(w).Add(w)); left < 20*time.Second {
		time.Sleep(left + 100*time.Millisecond)
	}
}

// bearerGet requests target with an API token and returns status, headers and body.
func bearerGet(t *testing.T, target, token string) (*http.Response, string) {
	t.Helper()
	return do(t, &http.Client{}, http.MethodGet, target, nil, http.Header{"Authorization": {"Bearer " + token}, "Accept": {"application/json"}})
}

// Someone guessing API tokens is stopped after 10 wrong tries a minute,
// counted across both instances (the count lives in Redis); the real token
// keeps working meanwhile.
func TestWrongAPITokensAreLimitedAcrossInstances(t *testing.T) {
	one, two := twoInstances(t)
	freshWindow(time.Minute)
	for i := 0; i < 10; i++ {
		base := one.Base
		if i%2 == 1 {
			base = two.Base
		}
		if res, body := bearerGet(t, base+"/api/announcements", "guess-"+strconv.Itoa(i)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d %s, want 401", i, res.StatusCode, body)
		}
	}
	res, body := bearerGet(t, two.Base+"/api/announcements", "guess-10")
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th wrong token (5 on this instance, 6 in all): %d %s, want 429", res.StatusCode, body)
	}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After = %q, want 1..60 seconds", res.Header.Get("Retry-After"))
	}
	var reason struct{ Error string }
	if err := json.Unmarshal([]byte(body), &reason); err != nil || !strings.Contains(reason.Error, "too many requests") {
		t.Errorf("429 body = %s, want a JSON reason", body)
	}
	if res, body := bearerGet(t, one.Base+"/api/announcements", one.Token); res.StatusCode != http.StatusOK {
		t.Errorf("the real token after the guesses: %d %s, want 200", res.StatusCode, body)
	}
}

// A whole city behind one NAT address signs in at once: 600 sign-in starts
// a minute from one IP pass; the next is refused with a page that says why
// and when to try again. The count is shared by both instances.
func TestSignInStartsAreLimitedPerIP(t *testing.T) {
	one, two := twoInstances(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	freshWindow(time.Minute)
	for i := 0; i < 600; i++ {
		base := one.Base
		if i%2 == 1 {
			base = two.Base
		}
		res, err := noFollow.Get(base + "/login")
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in start %d: %d, want a redirect to the provider", i, res.StatusCode)
		}
	}
	res, page := do(t, noFollow, http.MethodGet, one.Base+"/login", nil, http.Header{"Accept": {"text/html"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("601st sign-in start: %d, Retry-After %q; want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !strings.Contains(page, "too many requests") {
		t.Errorf("429 page does not say why:\n%.600s", page)
	}
}

// One person saves at most 20 push subscriptions an hour; the 21st is
// refused with 429, Retry-After and a JSON reason.
func TestPushSubscribeIsLimitedPerUser(t *testing.T) {
	srv := pushtest.NewServer(t)
	app, _ := signInAppWith(t, "pushlimit", testOIDC(t), "push: {subject: it@musterstadt.example, allow_hosts: [\""+srv.Host()+"\"]}")
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "carol", "carol-pw")
	hdr := http.Header{"X-Csrf-Token": {csrfOf(t, page)}, "Origin": {app.URL}, "Content-Type": {"application/json"}}
	keys, _ := push.GenerateVAPIDKeys()
	raw, _ := json.Marshal(srv.NewSubscription(keys.PublicKey()))
	subscribe := func() (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/push/subscriptions", strings.NewReader(string(raw)))
		req.Header = hdr.Clone()
		res, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	freshWindow(time.Hour)
	for i := 0; i < 20; i++ {
		if res, body := subscribe(); res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
			t.Fatalf("subscription %d: %d %s", i+1, res.StatusCode, body)
		}
	}
	res, body := subscribe()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "too many requests") {
		t.Fatalf("21st subscription in an hour: %d, Retry-After %q, %s; want 429 with a reason", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
}
