package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/markbates/goth/providers/openidConnect"
	"golang.org/x/oauth2"
)

// Tokens are the user's tokens from the provider. They never leave the
// server and are sealed at rest.
type Tokens struct {
	Access  string    `json:"access"`
	Refresh string    `json:"refresh,omitempty"`
	ID      string    `json:"id,omitempty"`
	Expiry  time.Time `json:"expiry"`
}

// Identity is who signed in, from the verified ID token and userinfo.
type Identity struct {
	Subject  string
	SID      string
	Username string
	Name     string
	Email    string
	Groups   []string
	// Claims are the claims the tenant's source URLs name ({claim:NAME}),
	// from the ID token and userinfo; only those, nothing else is kept.
	Claims map[string]string
}

// idClaims are the ID token claims Pforte checks.
type idClaims struct {
	jwt.Claims
	Nonce string `json:"nonce"`
	AZP   string `json:"azp"`
	SID   string `json:"sid"`
}

// Exchange trades the callback's code (with the PKCE verifier) for tokens,
// verifies the ID token against the flow's nonce and returns who signed in.
func (p *Provider) Exchange(ctx context.Context, f Flow, code string) (*Identity, Tokens, error) {
	sess := &openidConnect.Session{}
	params := url.Values{"code": {code}, "code_verifier": {f.Verifier}, "redirect_uri": {f.Redirect}}
	if _, err := sess.Authorize(p.goth, params); err != nil {
		// The provider refused (replayed or forged code) or did not answer.
		if isTransport(err) {
			return nil, Tokens{}, fmt.Errorf("%w: token endpoint: %v", ErrProviderUnavailable, redactErr(err))
		}
		return nil, Tokens{}, fmt.Errorf("%w: code exchange refused: %v", ErrInvalid, redactErr(err))
	}
	toks := Tokens{Access: sess.AccessToken, Refresh: sess.RefreshToken, ID: sess.IDToken, Expiry: sess.ExpiresAt}
	claims, err := p.VerifyIDToken(ctx, sess.IDToken, f.Nonce)
	if err != nil {
		return nil, Tokens{}, err
	}
	user, err := p.goth.FetchUser(sess) // adds userinfo claims (groups, names)
	if err != nil {
		return nil, Tokens{}, fmt.Errorf("%w: userinfo: %v", ErrProviderUnavailable, redactErr(err))
	}
	id := &Identity{Subject: claims.Subject, SID: claims.SID, Name: user.Name, Email: user.Email,
		Username: stringClaim(user.RawData, "preferred_username"), Groups: stringsClaim(user.RawData, p.cfg.GroupsClaim)}
	if id.Username == "" {
		id.Username = user.NickName
	}
	id.Claims = urlClaims(user.RawData, p.cfg.URLClaims)
	if id.Name == "" {
		id.Name = id.Username
	}
	if p.owner != nil && p.owner.renewed != nil { // a new sign-in: its refresh token is the newest
		p.owner.renewed(ctx, p.tenant, id.Subject, Tokens{}, toks)
	}
	return id, toks, nil
}

// VerifyIDToken checks signature (provider JWKS), issuer, audience,
// authorized party, expiry, issue time and nonce. The nonce is the one this
// sign-in sent: an empty one is an error, never a reason to skip the check.
func (p *Provider) VerifyIDToken(ctx context.Context, raw, nonce string) (*idClaims, error) {
	if nonce == "" {
		return nil, fmt.Errorf("%w: no nonce to check the id_token against", ErrInvalid)
	}
	c, err := p.verifyIDToken(ctx, raw)
	if err != nil {
		return nil, err
	}
	if c.Nonce != nonce {
		return nil, fmt.Errorf("%w: id_token nonce does not match this sign-in", ErrInvalid)
	}
	return c, nil
}

// verifyIDToken checks everything but the nonce: a refreshed ID token
// belongs to no new sign-in (OpenID Connect Core 12.2).
func (p *Provider) verifyIDToken(ctx context.Context, raw string) (*idClaims, error) {
	if raw == "" {
		return nil, fmt.Errorf("%w: no id_token in the token response", ErrInvalid)
	}
	var c idClaims
	if err := p.keys.verify(ctx, raw, &c); err != nil {
		return nil, err
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: p.disc.Issuer, AnyAudience: jwt.Audience{p.cfg.ClientID}, Time: p.now()}, 30*time.Second); err != nil {
		return nil, fmt.Errorf("%w: id_token: %w", ErrInvalid, err)
	}
	if c.Expiry == nil || c.Subject == "" {
		return nil, fmt.Errorf("%w: id_token lacks exp or sub", ErrInvalid)
	}
	if len(c.Audience) > 1 && c.AZP != p.cfg.ClientID {
		return nil, fmt.Errorf("%w: id_token azp %q is not this client", ErrInvalid, c.AZP)
	}
	return &c, nil
}

// Refresh gets a new access token with the refresh token. It goes through
// Pforte's HTTP client and ends with ctx: goth's RefreshToken uses Go's
// default client without a timeout, and a stalled provider hung requests
// for 20 s and more.
func (p *Provider) Refresh(ctx context.Context, old Tokens) (Tokens, error) {
	if old.Refresh == "" {
		return Tokens{}, fmt.Errorf("%w: no refresh token", ErrInvalid)
	}
	cfg := oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret,
		Endpoint: oauth2.Endpoint{AuthURL: p.disc.AuthorizationEndpoint, TokenURL: p.disc.TokenEndpoint}}
	tok, err := cfg.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, p.client), &oauth2.Token{RefreshToken: old.Refresh}).Token()
	if err != nil {
		if isTransport(err) {
			return Tokens{}, fmt.Errorf("%w: refresh: %v", ErrProviderUnavailable, redactErr(err))
		}
		if grantRefused(err) {
			return Tokens{}, fmt.Errorf("%w: %w: %v", ErrInvalid, ErrGrantRefused, redactErr(err))
		}
		return Tokens{}, fmt.Errorf("%w: refresh refused: %v", ErrInvalid, redactErr(err))
	}
	nt := Tokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, ID: old.ID, Expiry: tok.Expiry}
	if nt.Refresh == "" {
		nt.Refresh = old.Refresh
	}
	if id, ok := tok.Extra("id_token").(string); ok && id != "" {
		if _, err := p.verifyIDToken(ctx, id); err == nil {
			nt.ID = id
		}
	}
	return nt, nil
}

func stringClaim(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func stringsClaim(m map[string]any, k string) []string {
	var out []string
	switch v := m[k].(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	case string:
		out = append(out, v)
	}
	return out
}

// isTransport tells a provider that did not answer from one that said no.
func isTransport(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue)
}
