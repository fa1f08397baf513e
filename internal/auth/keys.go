package auth

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// signingAlgs are the algorithms Pforte accepts on provider tokens; "none"
// and symmetric algorithms are never accepted.
var signingAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512, jose.ES256, jose.ES384, jose.ES512, jose.EdDSA}

// keySet caches the provider's JWKS and refetches it (at most every 30 s)
// when a token names a key it does not know, so key rotation just works.
type keySet struct {
	client *http.Client
	url    string

	mu      sync.Mutex
	keys    jose.JSONWebKeySet
	fetched time.Time
}

// verify checks the signature of raw and decodes its claims into dest.
func (k *keySet) verify(ctx context.Context, raw string, dest ...any) error {
	tok, err := jwt.ParseSigned(raw, signingAlgs)
	if err != nil {
		return fmt.Errorf("%w: token: %w", ErrInvalid, err)
	}
	if len(tok.Headers) != 1 {
		return fmt.Errorf("%w: token must have one signature", ErrInvalid)
	}
	kid := tok.Headers[0].KeyID
	for attempt := 0; attempt < 2; attempt++ {
		key, err := k.key(ctx, kid, attempt > 0)
		if err != nil {
			return err
		}
		if key == nil {
			continue
		}
		if err := tok.Claims(key.Key, dest...); err != nil {
			return fmt.Errorf("%w: token signature: %w", ErrInvalid, err)
		}
		return nil
	}
	return fmt.Errorf("%w: token signed with unknown key %q", ErrInvalid, kid)
}

func (k *keySet) key(ctx context.Context, kid string, refresh bool) (*jose.JSONWebKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	stale := time.Since(k.fetched) > time.Hour
	if k.fetched.IsZero() || stale || (refresh && time.Since(k.fetched) > 30*time.Second) {
		var set jose.JSONWebKeySet
		if err := getJSON(ctx, k.client, k.url, &set); err != nil {
			if k.fetched.IsZero() {
				return nil, fmt.Errorf("%w: jwks: %w", ErrProviderUnavailable, err)
			}
		} else {
			k.keys, k.fetched = set, time.Now()
		}
	}
	for i := range k.keys.Keys {
		key := &k.keys.Keys[i]
		if (kid == "" || key.KeyID == kid) && key.Use != "enc" && key.IsPublic() {
			return key, nil
		}
	}
	return nil, nil
}
