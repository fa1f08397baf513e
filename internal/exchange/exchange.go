// Package exchange trades a signed-in user's access token for one meant
// for a single other service (OAuth 2.0 Token Exchange, RFC 8693), the way
// openDesk's own components reach Nextcloud and Dovecot through Keycloak.
// Exchanged tokens are kept sealed per user and audience until shortly
// before they expire, and exchanged again once the user's token changed
// (after a refresh). Tokens are never logged.
package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Margin is how long before its expiry an exchanged token is replaced, so
// a token handed to a source does not expire on the way.
const Margin = 30 * time.Second

// Options configure an Exchanger of one tenant.
type Options struct {
	Store        store.Store // tenant-scoped
	Tenant       string
	Sealer       *auth.Sealer
	ClientID     string // Pforte's confidential client at the provider
	ClientSecret string
	// Endpoint returns the provider's token endpoint (from discovery).
	Endpoint func(ctx context.Context) (string, error)
	HTTP     *http.Client // with timeouts; the context bounds each call too
	Now      func() time.Time
}

// Exchanger exchanges and keeps the exchanged tokens of one tenant.
type Exchanger struct{ o Options }

// New returns the exchanger for o.
func New(o Options) *Exchanger {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Exchanger{o: o}
}

// kept is an exchanged token as sealed in the store.
type kept struct {
	Token  string    `json:"token"`
	Expiry time.Time `json:"expiry"`
	// Of is the SHA-256 of the user's token it was exchanged from: a
	// refreshed user token no longer matches, so it is exchanged again.
	Of string `json:"of"`
}

func key(subject, audience string) string { return "xchg:" + subject + ":" + audience }

func (x *Exchanger) aad(subject, audience string) []byte {
	return []byte("exchange:" + x.o.Tenant + ":" + subject + ":" + audience)
}

func digest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Token returns an access token for audience on behalf of the user
// (subject) whose access token is userToken: the kept one while it is
// still good for Margin and was exchanged from userToken, else a new one.
// A refusal is a *Refused error naming what to change at the provider.
func (x *Exchanger) Token(ctx context.Context, subject, userToken, audience string) (string, error) {
	now := x.o.Now()
	of := digest(userToken)
	if k, ok := x.load(ctx, subject, audience); ok && k.Of == of && now.Add(Margin).Before(k.Expiry) {
		return k.Token, nil
	}
	tok, expiresIn, err := x.request(ctx, userToken, audience)
	if err != nil {
		return "", err
	}
	k := kept{Token: tok, Expiry: now.Add(expiresIn), Of: of}
	if ttl := expiresIn - Margin; ttl > 0 {
		x.save(ctx, subject, audience, k, ttl)
	}
	return tok, nil
}

func (x *Exchanger) load(ctx context.Context, subject, audience string) (kept, bool) {
	sealed, err := x.o.Store.Get(ctx, key(subject, audience))
	if err != nil {
		return kept{}, false // absent, expired or the store is down: exchange again
	}
	raw, err := x.o.Sealer.Open(sealed, x.aad(subject, audience))
	if err != nil {
		return kept{}, false // secret_key changed
	}
	var k kept
	if json.Unmarshal(raw, &k) != nil {
		return kept{}, false
	}
	return k, true
}

// save keeps k; a store that fails only costs an exchange next time.
func (x *Exchanger) save(ctx context.Context, subject, audience string, k kept, ttl time.Duration) {
	raw, err := json.Marshal(k) // #nosec G117 -- sealed just below before it is stored
	if err != nil {
		return
	}
	_ = x.o.Store.Set(ctx, key(subject, audience), x.o.Sealer.Seal(raw, x.aad(subject, audience)), ttl)
}

// ErrUnavailable means the provider did not answer usefully (network,
// 5xx, unreadable answer): try again later.
var ErrUnavailable = errors.New("exchange: provider unavailable")
