package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

const backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"

// LogoutClaims are the claims of an OpenID Connect Back-Channel Logout 1.0
// logout token after verification: at least one of Subject or SID is set.
type LogoutClaims struct {
	jwt.Claims
	SID    string                     `json:"sid"`
	Events map[string]json.RawMessage `json:"events"`
	Nonce  *string                    `json:"nonce"`
}

// VerifyLogoutToken checks a back-channel logout token: signature against
// the provider's JWKS, iss, aud (this client), iat/exp, the back-channel
// event, sub or sid present, and no nonce (spec 2.6).
func (p *Provider) VerifyLogoutToken(ctx context.Context, raw string) (*LogoutClaims, error) {
	var c LogoutClaims
	if err := p.keys.verify(ctx, raw, &c); err != nil {
		return nil, err
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: p.disc.Issuer, AnyAudience: jwt.Audience{p.cfg.ClientID}, Time: p.now()}, 30*time.Second); err != nil {
		return nil, fmt.Errorf("%w: logout_token: %w", ErrInvalid, err)
	}
	if c.IssuedAt == nil {
		return nil, fmt.Errorf("%w: logout_token lacks iat", ErrInvalid)
	}
	if c.ID == "" {
		// Required by the spec (2.4), and what replay protection keys on.
		return nil, fmt.Errorf("%w: logout_token lacks jti", ErrInvalid)
	}
	if ev, ok := c.Events[backchannelEvent]; !ok || !isJSONObject(ev) {
		return nil, fmt.Errorf("%w: logout_token lacks the back-channel logout event", ErrInvalid)
	}
	if c.Subject == "" && c.SID == "" {
		return nil, fmt.Errorf("%w: logout_token has neither sub nor sid", ErrInvalid)
	}
	if c.Nonce != nil {
		return nil, fmt.Errorf("%w: logout_token must not contain a nonce", ErrInvalid)
	}
	return &c, nil
}

func isJSONObject(raw json.RawMessage) bool {
	var m map[string]any
	return json.Unmarshal(raw, &m) == nil && m != nil
}
