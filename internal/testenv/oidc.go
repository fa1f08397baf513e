package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// OIDCTokens are the tokens of one sign-in at the test OpenID Provider.
type OIDCTokens struct {
	AccessToken, RefreshToken, IDToken string
	// Nonce is the nonce the sign-in sent (the ID token's, unless the
	// provider was told to put another one in).
	Nonce string
	// Expiry is when the access token expires (from expires_in).
	Expiry time.Time
}

// oidcScopes are the scopes Pforte asks for.
const oidcScopes = "openid profile email groups offline_access"

// errLoginRefused means the provider showed its login form again instead of
// redirecting with a code: wrong user name or password.
var errLoginRefused = errors.New("the provider refused the login")

// OIDCLogin runs the authorization code flow (with PKCE) over plain HTTP like
// a browser would (cookie jar, GET the authorization endpoint from
// discovery, submit the login form, follow redirects until redirectURI with
// ?code=, then exchange the code). Scopes: openid profile email groups
// offline_access. Nothing needs to listen on redirectURI. The test fails if
// any step does, including a refused password.
func OIDCLogin(t testing.TB, issuer, clientID, clientSecret, redirectURI, username, password string) OIDCTokens {
	t.Helper()
	tokens, err := oidcLogin(t.Context(), oidcClient{issuer, clientID, clientSecret, redirectURI}, username, password)
	if err != nil {
		t.Fatalf("testenv: OIDC login of %q with client %q: %v", username, clientID, err)
	}
	return tokens
}

// Introspect asks the provider whether token is active (RFC 7662).
// introspectURL carries the client credentials as user info
// (http://ID:SECRET@host/oauth/introspect), as Dovecot's configuration does.
func Introspect(t testing.TB, introspectURL, token string) (active bool) {
	t.Helper()
	active, err := introspect(t.Context(), introspectURL, token)
	if err != nil {
		t.Fatalf("testenv: introspect: %v", err)
	}
	return active
}

// oidcClient is a relying party registered at the provider.
type oidcClient struct {
	issuer, id, secret, redirectURI string
}

// oidcDiscovery holds the endpoints of a provider's discovery document.
type oidcDiscovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	UserinfoEndpoint      string `json:"userinfo_endpoint"`
	IntrospectionEndpoint string `json:"introspection_endpoint"`
	EndSessionEndpoint    string `json:"end_session_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
}

func oidcLogin(ctx context.Context, c oidcClient, username, password string) (OIDCTokens, error) {
	disc, err := discover(ctx, c.issuer)
	if err != nil {
		return OIDCTokens{}, err
	}
	verifier := randomString(32)
	state, nonce := randomString(16), randomString(16)
	challenge := sha256.Sum256([]byte(verifier))
	authURL := disc.AuthorizationEndpoint + "?" + url.Values{
		"response_type":         {"code"},
		"client_id":             {c.id},
		"redirect_uri":          {c.redirectURI},
		"scope":                 {oidcScopes},
		"state":                 {state},
		"nonce":                 {nonce},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(challenge[:])},
		"code_challenge_method": {"S256"},
	}.Encode()
	callback, err := signIn(ctx, authURL, c.redirectURI, username, password)
	if err != nil {
		return OIDCTokens{}, err
	}
	if got := callback.Query().Get("state"); got != state {
		return OIDCTokens{}, fmt.Errorf("callback state %q, want the one sent", got)
	}
	code := callback.Query().Get("code")
	if code == "" {
		return OIDCTokens{}, fmt.Errorf("callback without code: error %q: %s",
			callback.Query().Get("error"), callback.Query().Get("error_description"))
	}
	tokens, err := requestTokens(ctx, disc.TokenEndpoint, c, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {c.redirectURI},
		"code_verifier": {verifier},
	})
	tokens.Nonce = nonce
	return tokens, err
}

// signIn plays the browser: it opens authURL, submits the login form and
// follows redirects until one leads to redirectURI, whose URL it returns.
func signIn(ctx context.Context, authURL, redirectURI, username, password string) (*url.URL, error) {
	target, err := url.Parse(redirectURI)
	if err != nil {
		return nil, fmt.Errorf("redirect URI: %w", err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("cookie jar: %w", err)
	}
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme == target.Scheme && req.URL.Host == target.Host && req.URL.Path == target.Path {
				return http.ErrUseLastResponse
			}
			if len(via) >= 10 {
				return errors.New("more than 10 redirects")
			}
			return nil
		}}

	page, err := fetch(ctx, browser, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, fmt.Errorf("authorization request: %w", err)
	}
	form, err := parseLoginForm(page.body, page.url)
	if err != nil {
		return nil, fmt.Errorf("authorization request answered %d without a login form: %w", page.status, err)
	}
	form.fields.Set("username", username)
	form.fields.Set("password", password)
	page, err = fetch(ctx, browser, http.MethodPost, form.action, form.fields)
	if err != nil {
		return nil, fmt.Errorf("submit login form: %w", err)
	}
	if page.location == nil {
		if _, err := parseLoginForm(page.body, page.url); err == nil {
			return nil, errLoginRefused
		}
		return nil, fmt.Errorf("login answered %d without redirecting to %s", page.status, redirectURI)
	}
	return page.location, nil
}

// page is one response as the browser saw it.
type page struct {
	status   int
	url      *url.URL // the URL of the last request
	body     []byte
	location *url.URL // the redirect to the redirect URI, if it came to that
}

func fetch(ctx context.Context, browser *http.Client, method, target string, form url.Values) (page, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return page{}, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := browser.Do(req)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return page{}, fmt.Errorf("read %s: %w", resp.Request.URL.Path, err)
	}
	p := page{status: resp.StatusCode, url: resp.Request.URL, body: b}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if p.location, err = resp.Location(); err != nil {
			return page{}, fmt.Errorf("redirect: %w", err)
		}
	}
	return p, nil
}

// requestTokens posts a token request with HTTP Basic client
// authentication (client_secret_basic).
func requestTokens(ctx context.Context, tokenEndpoint string, c oidcClient, form url.Values) (OIDCTokens, error) {
	var tr struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		IDToken      string `json:"id_token"`
		ExpiresIn    int64  `json:"expires_in"`
	}
	if err := postForm(ctx, tokenEndpoint, c.id, c.secret, form, &tr); err != nil {
		return OIDCTokens{}, fmt.Errorf("token request: %w", err)
	}
	if tr.AccessToken == "" {
		return OIDCTokens{}, errors.New("token response without access_token")
	}
	return OIDCTokens{
		AccessToken:  tr.AccessToken,
		RefreshToken: tr.RefreshToken,
		IDToken:      tr.IDToken,
		Expiry:       time.Now().Add(time.Duration(tr.ExpiresIn) * time.Second),
	}, nil
}

func introspect(ctx context.Context, introspectURL, token string) (bool, error) {
	u, err := url.Parse(introspectURL)
	if err != nil {
		return false, fmt.Errorf("introspection URL: %w", err)
	}
	if u.User == nil {
		return false, errors.New("introspection URL carries no client credentials")
	}
	id := u.User.Username()
	secret, _ := u.User.Password()
	u.User = nil
	var ir struct {
		Active bool `json:"active"`
	}
	if err := postForm(ctx, u.String(), id, secret, url.Values{"token": {token}}, &ir); err != nil {
		return false, err
	}
	return ir.Active, nil
}

// postForm posts form with HTTP Basic client credentials (form-encoded
// first, RFC 6749 section 2.3.1) and decodes a 200 JSON answer into v.
func postForm(ctx context.Context, endpoint, clientID, secret string, form url.Values, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %.200s", endpoint, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode answer of %s: %w", endpoint, err)
	}
	return nil
}

func discover(ctx context.Context, issuer string) (oidcDiscovery, error) {
	var d oidcDiscovery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", nil)
	if err != nil {
		return d, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return d, fmt.Errorf("discovery: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("discovery answered %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		return d, fmt.Errorf("decode discovery: %w", err)
	}
	return d, nil
}

// randomString returns n random bytes, base64url-encoded (PKCE verifiers
// need at least 43 characters: n = 32).
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
