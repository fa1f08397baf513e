package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Signed out, pages send the user to sign in (keeping where they wanted to
// go) and the API answers 401 in JSON.
func TestSignedOutIsSentToSignIn(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	res := c.get("/settings?tab=push")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape("/settings?tab=push") {
		t.Fatalf("signed-out page: %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	wantError(t, c.get("/api/dashboard"), http.StatusUnauthorized, "sign in first")
}

// The demo sign-in: a CSRF-checked form; the session cookie is HttpOnly,
// SameSite=Lax and replaced at sign-in (no fixation); next stays on site.
func TestDemoSignIn(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	page := readBody(t, c.get("/login?next=/announcements"))
	m := csrfField.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `value="/announcements"`) || !strings.Contains(page, "Erika Mustermann") {
		t.Fatalf("demo sign-in page lacks the token, next or the demo users:\n%s", page)
	}
	anon := c.cookies["pforte"]
	if anon == "" {
		t.Fatal("the sign-in page set no session cookie for its CSRF token")
	}

	// Without the token, with a wrong one, or from another site: refused.
	for name, f := range map[string]url.Values{
		"no token":    {"user": {"employee"}, "_csrf": {""}},
		"wrong token": {"user": {"employee"}, "_csrf": {"x" + m[1]}},
	} {
		res := c.form("/login/demo", f)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(readBody(t, res), "CSRF") {
			t.Errorf("%s: %d, want 403 naming CSRF", name, res.StatusCode)
		}
	}
	c.csrf = m[1]
	res := c.do(req{method: http.MethodPost, path: "/login/demo", body: url.Values{"user": {"employee"}, "_csrf": {c.csrf}}.Encode(),
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", res.StatusCode)
	}
	if res := c.form("/login/demo", url.Values{"user": {"root"}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(readBody(t, res), "choose employee or admin") {
		t.Errorf("unknown demo user: %d, want 400 naming the choice", res.StatusCode)
	}

	res = c.form("/login/demo", url.Values{"user": {"employee"}, "next": {"//evil.example/x"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in with an off-site next: %d Location %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
	var sessCookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "pforte" {
			sessCookie = ck
		}
	}
	if sessCookie == nil || !sessCookie.HttpOnly || sessCookie.SameSite != http.SameSiteLaxMode || sessCookie.Value == anon {
		t.Fatalf("session cookie after sign-in: %+v (anonymous was %q)", sessCookie, anon)
	}
	page = readBody(t, c.get("/"))
	if !strings.Contains(page, "Erika Mustermann") {
		t.Error("the start page does not greet the signed-in user")
	}

	// Logout ends the session: the old cookie opens nothing.
	old := c.cookies["pforte"]
	c.csrf = csrfMeta.FindStringSubmatch(page)[1]
	if res := c.form("/logout", url.Values{}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	replay := ts.client(hostA)
	replay.cookies["pforte"] = old
	wantError(t, replay.get("/api/dashboard"), http.StatusUnauthorized, "sign in first")
}

// A session belongs to its tenant: the same cookie on another tenant's
// host opens nothing there.
func TestSessionDoesNotCrossTenants(t *testing.T) {
	ts := newTestServer(t)
	a := ts.client(hostA)
	a.signIn("employee")
	b := ts.client(hostB)
	b.cookies = a.cookies
	wantError(t, b.get("/api/dashboard"), http.StatusUnauthorized, "sign in first")
	if res := a.get("/api/dashboard"); res.StatusCode != http.StatusOK {
		t.Fatalf("own tenant: %d", res.StatusCode)
	}
}

// A tenant with an OIDC section has no demo sign-in, even in demo mode, and
// a provider that cannot be reached is a friendly 502 page.
func TestNoDemoSignInWithOIDC(t *testing.T) {
	ts := newTestServer(t, func(cfg *config.Config) {
		cfg.Tenants[1].OIDC = &config.OIDC{Issuer: "http://127.0.0.1:1/unreachable", ClientID: "pforte", ClientSecret: "s"}
	})
	c := ts.client(hostB)
	res := c.get("/login")
	page := readBody(t, res)
	if res.StatusCode != http.StatusBadGateway || strings.Contains(page, "/login/demo") {
		t.Fatalf("login with an unreachable provider: %d, demo form shown: %v", res.StatusCode, strings.Contains(page, "/login/demo"))
	}
}
