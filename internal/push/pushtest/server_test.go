package pushtest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// vapidKey is an application server key in both forms the test needs.
type vapidKey struct {
	ecdsa *ecdsa.PrivateKey
	pub   string
	keys  *push.VAPIDKeys
}

func newVAPIDKey(t *testing.T) vapidKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := k.Bytes()
	keys, err := push.ParseVAPIDKeys(base64.RawURLEncoding.EncodeToString(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	return vapidKey{ecdsa: k, pub: keys.PublicKey(), keys: keys}
}

// authHeader signs claims with signer but names key k in the header.
func authHeader(t *testing.T, signer *ecdsa.PrivateKey, k string, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodES256, claims).SignedString(signer)
	if err != nil {
		t.Fatal(err)
	}
	return "vapid t=" + tok + ", k=" + k
}

// rewrite changes each request before it leaves, to break one rule.
type rewrite struct {
	next http.RoundTripper
	fn   func(*http.Request)
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	r.fn(req)
	return r.next.RoundTrip(req)
}

func TestServiceRejectsMalformedMessages(t *testing.T) {
	srv := pushtest.NewServer(t)
	app, other := newVAPIDKey(t), newVAPIDKey(t)
	now := time.Now()
	claims := func(aud string, exp time.Time, sub any) jwt.MapClaims {
		c := jwt.MapClaims{"aud": aud, "exp": exp.Unix()}
		if sub != nil {
			c["sub"] = sub
		}
		return c
	}
	setAuth := func(h string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", h) }
	}
	cases := []struct {
		name   string
		status int
		fn     func(*http.Request)
		swap   bool // encrypt to another subscription's keys
	}{
		{name: "valid message", status: 201, fn: func(*http.Request) {}},
		{name: "signature by another key", status: 401,
			fn: setAuth(authHeader(t, other.ecdsa, app.pub, claims(srv.Origin(), now.Add(time.Hour), "mailto:it@example.org")))},
		{name: "wrong aud", status: 401,
			fn: setAuth(authHeader(t, app.ecdsa, app.pub, claims("https://fcm.googleapis.com", now.Add(time.Hour), "mailto:it@example.org")))},
		{name: "aud with path", status: 401,
			fn: setAuth(authHeader(t, app.ecdsa, app.pub, claims(srv.Origin()+"/push", now.Add(time.Hour), "mailto:it@example.org")))},
		{name: "expired JWT", status: 401,
			fn: setAuth(authHeader(t, app.ecdsa, app.pub, claims(srv.Origin(), now.Add(-time.Minute), "mailto:it@example.org")))},
		{name: "exp beyond 24 hours", status: 401,
			fn: setAuth(authHeader(t, app.ecdsa, app.pub, claims(srv.Origin(), now.Add(25*time.Hour), "mailto:it@example.org")))},
		{name: "sub missing", status: 401,
			fn: setAuth(authHeader(t, app.ecdsa, app.pub, claims(srv.Origin(), now.Add(time.Hour), nil)))},
		{name: "sub bare address", status: 401,
			fn: setAuth(authHeader(t, app.ecdsa, app.pub, claims(srv.Origin(), now.Add(time.Hour), "it@example.org")))},
		{name: "key other than applicationServerKey", status: 403,
			fn: setAuth(authHeader(t, other.ecdsa, other.pub, claims(srv.Origin(), now.Add(time.Hour), "mailto:it@example.org")))},
		{name: "no Authorization", status: 401, fn: func(r *http.Request) { r.Header.Del("Authorization") }},
		{name: "WebPush scheme", status: 401, fn: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "vapid ", "WebPush ", 1))
		}},
		{name: "missing TTL", status: 400, fn: func(r *http.Request) { r.Header.Del("TTL") }},
		{name: "negative TTL", status: 400, fn: func(r *http.Request) { r.Header.Set("TTL", "-1") }},
		{name: "bad Urgency", status: 400, fn: func(r *http.Request) { r.Header.Set("Urgency", "urgent") }},
		{name: "Topic too long", status: 400, fn: func(r *http.Request) { r.Header.Set("Topic", strings.Repeat("a", 33)) }},
		{name: "Topic not base64url", status: 400, fn: func(r *http.Request) { r.Header.Set("Topic", "a+b") }},
		{name: "aesgcm encoding", status: 415, fn: func(r *http.Request) { r.Header.Set("Content-Encoding", "aesgcm") }},
		{name: "tampered body", status: 400, fn: func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			b[len(b)-1] ^= 1
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}},
		{name: "encrypted to another key", status: 400, fn: func(*http.Request) {}, swap: true},
		{name: "unknown subscription", status: 404, fn: func(r *http.Request) { r.URL.Path = "/push/0000" }},
		{name: "GET", status: 405, fn: func(r *http.Request) { r.Method = http.MethodGet }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub := srv.NewSubscription(app.pub)
			client := srv.Client()
			client.Transport = rewrite{next: client.Transport, fn: c.fn}
			s, err := push.NewSender(push.Config{Keys: app.keys, Subject: "it@example.org", Client: client})
			if err != nil {
				t.Fatal(err)
			}
			target := sub
			if c.swap {
				target.Keys = srv.NewSubscription(app.pub).Keys
			}
			res, err := s.Send(context.Background(), target, []byte("geheim"), push.Options{TTL: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != c.status {
				t.Fatalf("status %d, want %d (%v)", res.Status, c.status, res.Err)
			}
			if got := len(srv.Messages(sub)); (c.status == 201) != (got == 1) {
				t.Fatalf("service recorded %d messages after status %d", got, res.Status)
			}
		})
	}
}

func TestServiceProgrammedAnswers(t *testing.T) {
	srv := pushtest.NewServer(t)
	app := newVAPIDKey(t)
	s, err := push.NewSender(push.Config{Keys: app.keys, Subject: "it@example.org", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	sub := srv.NewSubscription(app.pub)
	srv.Answer(sub, http.StatusTooManyRequests, 2, "30")
	var got []int
	for range 3 {
		res, err := s.Send(context.Background(), sub, []byte("x"), push.Options{TTL: 60})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Status)
		if res.Status == 429 && res.RetryAfter != 30*time.Second {
			t.Errorf("Retry-After %v, want 30s", res.RetryAfter)
		}
	}
	if got[0] != 429 || got[1] != 429 || got[2] != 201 {
		t.Fatalf("statuses %v, want [429 429 201]", got)
	}
	if len(srv.Messages(sub)) != 1 || srv.Attempts(sub) != 3 {
		t.Fatalf("messages %d attempts %d", len(srv.Messages(sub)), srv.Attempts(sub))
	}
}
