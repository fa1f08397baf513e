package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/markbates/goth/providers/openidConnect"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Provider is one tenant's OpenID Connect provider. goth drives the flow
// (authorization URL, code exchange, userinfo, refresh); Pforte verifies the
// ID token itself (signature, iss, aud, exp, nonce), which goth does not.
type Provider struct {
	cfg    *config.OIDC
	disc   *discovery
	goth   *openidConnect.Provider
	keys   *keySet
	client *http.Client
	now    func() time.Time
	tenant string     // whose provider this is (for OnRenewed)
	owner  *Providers // nil for a provider built outside Providers

	mu     sync.Mutex
	seenOK time.Time // last time the provider answered its discovery document
}

func newProvider(ctx context.Context, cfg *config.OIDC, client *http.Client, now func() time.Time) (*Provider, error) {
	d, err := discover(ctx, client, cfg.Issuer)
	if err != nil {
		return nil, err
	}
	// NewCustomisedURL does no network I/O (New would fetch discovery with
	// a client that has no timeout).
	g, err := openidConnect.NewCustomisedURL(cfg.ClientID, cfg.ClientSecret, "", d.AuthorizationEndpoint,
		d.TokenEndpoint, d.Issuer, d.UserinfoEndpoint, d.EndSessionEndpoint, d.scopes(cfg.Scopes, cfg.OfflineAccess)...)
	if err != nil {
		return nil, fmt.Errorf("auth: goth provider: %w", err)
	}
	g.HTTPClient = client
	return &Provider{cfg: cfg, disc: d, goth: g, client: client, now: now,
		keys: &keySet{client: client, url: d.JWKSURI}, seenOK: now()}, nil
}

// Flow is what Pforte remembers between sending the user to the provider and
// the callback: all one-time values.
type Flow struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
	Redirect string `json:"redirect"`
}

// NewFlow creates fresh state, nonce and PKCE verifier.
func NewFlow(next, redirectURI string) Flow {
	return Flow{State: randomString(32), Nonce: randomString(32), Verifier: randomString(48), Next: next, Redirect: redirectURI}
}

// AuthURL is where the browser goes to sign in: goth's URL plus the per-request
// redirect URI, nonce and PKCE challenge (S256).
func (p *Provider) AuthURL(f Flow) (string, error) {
	sess, err := p.goth.BeginAuth(f.State)
	if err != nil {
		return "", fmt.Errorf("auth: begin: %w", err)
	}
	raw, err := sess.GetAuthURL()
	if err != nil {
		return "", fmt.Errorf("auth: begin: %w", err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("auth: begin: %w", err)
	}
	sum := sha256.Sum256([]byte(f.Verifier))
	q := u.Query()
	q.Set("redirect_uri", f.Redirect)
	q.Set("nonce", f.Nonce)
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	q.Set("code_challenge_method", "S256")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// EndSessionURL is the provider's logout with id_token_hint and where to
// come back to; "" when the provider has no end_session_endpoint.
func (p *Provider) EndSessionURL(idToken, postLogout string) string {
	if p.disc.EndSessionEndpoint == "" {
		return ""
	}
	u, err := url.Parse(p.disc.EndSessionEndpoint)
	if err != nil {
		return ""
	}
	q := u.Query()
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	q.Set("post_logout_redirect_uri", postLogout)
	q.Set("client_id", p.cfg.ClientID)
	u.RawQuery = q.Encode()
	return u.String()
}

// reachableFor is how long a successful check counts: a city's whole
// staff signing in at 8 o'clock costs the provider one request per 30 s.
const reachableFor = 30 * time.Second

// Reachable checks (at most every 30 s) that the provider answers, so a
// user is not sent to a sign-in page that will not load: they get
// Pforte's own friendly error instead.
func (p *Provider) Reachable(ctx context.Context) error {
	p.mu.Lock()
	fresh := p.now().Sub(p.seenOK) < reachableFor
	p.mu.Unlock()
	if fresh {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := discover(ctx, p.client, p.cfg.Issuer); err != nil {
		return err
	}
	p.mu.Lock()
	p.seenOK = p.now()
	p.mu.Unlock()
	return nil
}

// Issuer is the verified issuer of this provider.
func (p *Provider) Issuer() string { return p.disc.Issuer }
