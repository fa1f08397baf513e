package testenv

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// testProvider is the stack's OpenID Provider as the tests see it.
type testProvider struct {
	issuer        string
	pforte        oidcClient
	introspectURL string
	disc          oidcDiscovery
}

// callbackURI is where the provider sends the browser back; nothing listens
// there, the flow stops at the redirect.
const callbackURI = "http://127.0.0.1:47321/auth/callback"

func newTestProvider(t *testing.T) testProvider {
	t.Helper()
	issuer := Server(t, "PFORTE_TEST_OIDC_ISSUER")
	p := testProvider{
		issuer: issuer,
		pforte: oidcClient{issuer, Server(t, "PFORTE_TEST_OIDC_CLIENT_ID"),
			Server(t, "PFORTE_TEST_OIDC_CLIENT_SECRET"), callbackURI},
		introspectURL: Server(t, "PFORTE_TEST_OIDC_INTROSPECT_URL"),
	}
	var err error
	if p.disc, err = discover(t.Context(), issuer); err != nil {
		t.Fatal(err)
	}
	return p
}

// refresh redeems a refresh token at the token endpoint.
func refresh(t *testing.T, p testProvider, c oidcClient, refreshToken string) OIDCTokens {
	t.Helper()
	tok, err := requestTokens(t.Context(), p.disc.TokenEndpoint, c,
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	return tok
}

// endSession calls the end_session endpoint like a browser sent there by
// Pforte, without following the redirect.
func endSession(t *testing.T, p testProvider, idToken, postLogoutRedirect, state string) *http.Response {
	t.Helper()
	q := url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {postLogoutRedirect}}
	if state != "" {
		q.Set("state", state)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, p.disc.EndSessionEndpoint+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// waitInactive polls introspection until the token is inactive.
func waitInactive(t *testing.T, introspectURL, token string, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	for Introspect(t, introspectURL, token) {
		select {
		case <-ctx.Done():
			t.Fatalf("token still active after %v", limit)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// verifyJWT checks a JWT's signature against the provider's JWKS and
// returns its claims.
func verifyJWT(t *testing.T, p testProvider, token string) map[string]any {
	t.Helper()
	var keys jose.JSONWebKeySet
	resp, err := http.Get(p.disc.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&keys); err != nil {
		t.Fatalf("decode JWKS: %v", err)
	}
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse JWT: %v", err)
	}
	found := keys.Key(jws.Signatures[0].Header.KeyID)
	if len(found) == 0 {
		t.Fatalf("JWT key %q is not in the JWKS", jws.Signatures[0].Header.KeyID)
	}
	payload, err := jws.Verify(found[0])
	if err != nil {
		t.Fatalf("JWT does not verify against the JWKS: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func getJSON(t *testing.T, endpoint, bearer string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", endpoint, resp.StatusCode, err)
	}
	return m
}

func introspectRaw(t *testing.T, introspectURL, token string) map[string]any {
	t.Helper()
	u, err := url.Parse(introspectURL)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := u.User.Password()
	id := u.User.Username()
	u.User = nil
	var m map[string]any
	if err := postForm(t.Context(), u.String(), id, secret, url.Values{"token": {token}}, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// readAll reads and closes a response body.
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameClaim compares a decoded JSON claim with a string or string list.
func sameClaim(got, want any) bool {
	switch w := want.(type) {
	case []string:
		list, ok := got.([]any)
		if !ok || len(list) != len(w) {
			return false
		}
		return slices.EqualFunc(list, w, func(a any, b string) bool { return a == b })
	default:
		if l, ok := got.([]any); ok && len(l) == 1 { // a one-element aud
			return l[0] == w
		}
		return got == w
	}
}
