package testenv

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestOIDCLoginGivesProfileAndGroups(t *testing.T) {
	p := newTestProvider(t)
	tests := []struct {
		user, password, name, email string
		groups                      []string
	}{
		{"alice", "alice-pw", "Anna Schmidt", "anna.schmidt@musterstadt.example", []string{"staff", "hr"}},
		{"bob", "bob-pw", "Bernd Huber", "bernd.huber@musterstadt.example", []string{"staff", "it-admins"}},
		{"carol", "carol-pw", "Carla Özdemir", "carla.oezdemir@musterstadt.example", []string{"staff"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			tok := OIDCLogin(t, p.issuer, p.pforte.id, p.pforte.secret, callbackURI, tt.user, tt.password)
			if tok.RefreshToken == "" {
				t.Error("no refresh token despite offline_access")
			}
			if !tok.Expiry.After(time.Now()) {
				t.Errorf("access token expiry %v is not in the future", tok.Expiry)
			}

			id := verifyJWT(t, p, tok.IDToken)
			for claim, want := range map[string]any{
				"iss": p.issuer, "aud": p.pforte.id, "name": tt.name, "email": tt.email,
				"preferred_username": tt.user, "groups": tt.groups,
			} {
				if got := id[claim]; !sameClaim(got, want) {
					t.Errorf("ID token %s = %v, want %v", claim, got, want)
				}
			}
			if sid, _ := id["sid"].(string); sid == "" {
				t.Error("ID token has no sid: back-channel logouts could not be matched")
			}

			info := getJSON(t, p.disc.UserinfoEndpoint, tok.AccessToken)
			if info["preferred_username"] != tt.user || !sameClaim(info["groups"], tt.groups) {
				t.Errorf("userinfo = %v, want preferred_username %s and groups %v", info, tt.user, tt.groups)
			}

			// What Dovecot sees: the login name picks the mailbox.
			ir := introspectRaw(t, p.introspectURL, tok.AccessToken)
			if ir["active"] != true || ir["username"] != tt.user || !sameClaim(ir["groups"], tt.groups) {
				t.Errorf("introspection = %v, want active, username %s, groups %v", ir, tt.user, tt.groups)
			}
		})
	}
}

func TestOIDCLoginWithWrongPasswordGivesNoCode(t *testing.T) {
	p := newTestProvider(t)
	_, err := oidcLogin(t.Context(), p.pforte, "alice", "bob-pw")
	if !errors.Is(err, errLoginRefused) {
		t.Fatalf("login with a wrong password: err = %v, want the login form again", err)
	}
}

func TestOIDCLoginAcceptsAnyLoopbackCallbackPort(t *testing.T) {
	p := newTestProvider(t)
	for _, redirect := range []string{"http://localhost:8/auth/callback", "http://127.0.0.1:65535/auth/callback"} {
		c := p.pforte
		c.redirectURI = redirect
		if _, err := oidcLogin(t.Context(), c, "carol", "carol-pw"); err != nil {
			t.Errorf("login with redirect URI %s: %v", redirect, err)
		}
	}
	for _, redirect := range []string{
		"https://attacker.example/auth/callback",
		"http://127.0.0.1:1@attacker.example/auth/callback",
		"http://127.0.0.1:8080/other/callback",
	} {
		c := p.pforte
		c.redirectURI = redirect
		if _, err := oidcLogin(t.Context(), c, "carol", "carol-pw"); err == nil {
			t.Errorf("login with redirect URI %s succeeded, want it refused", redirect)
		}
	}
}

func TestOIDCIntrospectionAcrossTenants(t *testing.T) {
	p := newTestProvider(t)
	tenantB := oidcClient{p.issuer, Server(t, "PFORTE_TEST_OIDC_CLIENT_B_ID"),
		Server(t, "PFORTE_TEST_OIDC_CLIENT_B_SECRET"), callbackURI}
	tok := OIDCLogin(t, p.issuer, tenantB.id, tenantB.secret, callbackURI, "carol", "carol-pw")

	if !Introspect(t, p.introspectURL, tok.AccessToken) {
		t.Error("Dovecot's introspection client does not accept tenant B's token")
	}
	u, err := url.Parse(p.introspectURL)
	if err != nil {
		t.Fatal(err)
	}
	resourceServer := u.User
	u.User = url.UserPassword(p.pforte.id, p.pforte.secret)
	asTenantA := u.String()
	if Introspect(t, asTenantA, tok.AccessToken) {
		t.Error("tenant A's client may introspect tenant B's token")
	}
	secret, _ := resourceServer.Password()
	rs := oidcClient{p.issuer, resourceServer.Username(), secret, callbackURI}
	if _, err := oidcLogin(t.Context(), rs, "carol", "carol-pw"); err == nil {
		t.Error("the introspection-only client could sign a user in")
	}
}

func TestOIDCRefreshRotatesTokens(t *testing.T) {
	p := newTestProvider(t)
	tok := OIDCLogin(t, p.issuer, p.pforte.id, p.pforte.secret, callbackURI, "bob", "bob-pw")
	refreshed := refresh(t, p, p.pforte, tok.RefreshToken)

	if !Introspect(t, p.introspectURL, refreshed.AccessToken) {
		t.Error("refreshed access token is inactive")
	}
	if Introspect(t, p.introspectURL, tok.AccessToken) {
		t.Error("the access token replaced by the refresh is still active")
	}
	if a, b := verifyJWT(t, p, tok.IDToken)["sid"], verifyJWT(t, p, refreshed.IDToken)["sid"]; a != b {
		t.Errorf("sid changed on refresh: %v → %v", a, b)
	}
	if _, err := requestTokens(t.Context(), p.disc.TokenEndpoint, p.pforte,
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}); err == nil {
		t.Error("a used refresh token was accepted again")
	}
}

func TestOIDCShortLivedTokenExpiresAndRefreshes(t *testing.T) {
	p := newTestProvider(t)
	short := oidcClient{p.issuer, Server(t, "PFORTE_TEST_OIDC_SHORT_CLIENT_ID"),
		Server(t, "PFORTE_TEST_OIDC_SHORT_CLIENT_SECRET"), callbackURI}
	tok := OIDCLogin(t, p.issuer, short.id, short.secret, callbackURI, "alice", "alice-pw")
	if time.Until(tok.Expiry) > 10*time.Second {
		t.Fatalf("short-lived access token expires at %v", tok.Expiry)
	}
	if !Introspect(t, p.introspectURL, tok.AccessToken) {
		t.Fatal("fresh short-lived token is inactive")
	}
	waitInactive(t, p.introspectURL, tok.AccessToken, 15*time.Second)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, p.disc.UserinfoEndpoint, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("userinfo accepted an expired access token")
		}
	}

	refreshed := refresh(t, p, short, tok.RefreshToken)
	if !Introspect(t, p.introspectURL, refreshed.AccessToken) {
		t.Error("access token from refresh is inactive")
	}
}

func TestOIDCEndSessionRedirectsAndEndsOnlyThatSession(t *testing.T) {
	p := newTestProvider(t)
	ended := OIDCLogin(t, p.issuer, p.pforte.id, p.pforte.secret, callbackURI, "alice", "alice-pw")
	other := OIDCLogin(t, p.issuer, p.pforte.id, p.pforte.secret, callbackURI, "alice", "alice-pw")

	back := "http://127.0.0.1:47321/signed-out"
	resp := endSession(t, p, ended.IDToken, back, "s1")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != back+"?state=s1" {
		t.Fatalf("end_session answered %d to %q, want 302 to %s?state=s1", resp.StatusCode, loc, back)
	}
	if Introspect(t, p.introspectURL, ended.AccessToken) {
		t.Error("access token still active after end_session")
	}
	if _, err := requestTokens(t.Context(), p.disc.TokenEndpoint, p.pforte,
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {ended.RefreshToken}}); err == nil {
		t.Error("refresh token of the ended session still works")
	}
	if !Introspect(t, p.introspectURL, other.AccessToken) {
		t.Error("ending one session also ended the user's other session")
	}
}

func TestOIDCEndSessionRefusesForeignRedirects(t *testing.T) {
	p := newTestProvider(t)
	tok := OIDCLogin(t, p.issuer, p.pforte.id, p.pforte.secret, callbackURI, "bob", "bob-pw")
	for _, back := range []string{"https://attacker.example/", "http://127.0.0.1:1@attacker.example/"} {
		resp := endSession(t, p, tok.IDToken, back, "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("end_session to %s answered %d (Location %q), want 400", back, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if !Introspect(t, p.introspectURL, tok.AccessToken) {
		t.Error("a refused end_session still ended the session")
	}
}

func TestLogoutTokenVerifiesAgainstJWKS(t *testing.T) {
	p := newTestProvider(t)
	form := url.Values{"aud": {p.pforte.id}, "sub": {"some-subject"}, "sid": {"some-session"}}
	resp, err := http.PostForm(p.issuer+"/test/logout-token", form)
	if err != nil {
		t.Fatal(err)
	}
	token := readAll(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("logout token endpoint answered %d: %s", resp.StatusCode, token)
	}

	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	if typ := jws.Signatures[0].Header.ExtraHeaders["typ"]; typ != "logout+jwt" {
		t.Errorf("typ = %v, want logout+jwt", typ)
	}
	claims := verifyJWT(t, p, token)
	for claim, want := range map[string]any{"iss": p.issuer, "aud": p.pforte.id, "sub": "some-subject", "sid": "some-session"} {
		if claims[claim] != want {
			t.Errorf("%s = %v, want %v", claim, claims[claim], want)
		}
	}
	events, _ := claims["events"].(map[string]any)
	if _, ok := events["http://schemas.openid.net/event/backchannel-logout"]; !ok {
		t.Errorf("events = %v, want the back-channel logout event", claims["events"])
	}
	if _, ok := claims["nonce"]; ok {
		t.Error("logout token carries a nonce")
	}
	for _, c := range []string{"iat", "exp", "jti"} {
		if _, ok := claims[c]; !ok {
			t.Errorf("logout token lacks %s", c)
		}
	}
}
