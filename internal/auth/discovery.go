// Package auth signs employees in through their tenant's OpenID Connect
// provider (goth's openidConnect for the flow), verifies every token Pforte
// relies on itself (ID tokens, back-channel logout tokens) against the
// provider's JWKS, and keeps sessions sealed at rest.
package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// ErrProviderUnavailable means the OIDC provider did not answer usefully;
// users see a friendly 502 page, never a stack trace.
var ErrProviderUnavailable = errors.New("auth: sign-in provider unavailable")

// ErrInvalid means a sign-in or logout request failed verification (4xx).
var ErrInvalid = errors.New("auth: invalid request")

// discovery is the part of the provider's metadata Pforte uses.
type discovery struct {
	Issuer                     string   `json:"issuer"`
	AuthorizationEndpoint      string   `json:"authorization_endpoint"`
	TokenEndpoint              string   `json:"token_endpoint"`
	UserinfoEndpoint           string   `json:"userinfo_endpoint"`
	JWKSURI                    string   `json:"jwks_uri"`
	EndSessionEndpoint         string   `json:"end_session_endpoint"`
	ScopesSupported            []string `json:"scopes_supported"`
	CodeChallengeMethods       []string `json:"code_challenge_methods_supported"`
	BackchannelLogoutSupported bool     `json:"backchannel_logout_supported"`
}

func discover(ctx context.Context, client *http.Client, issuer string) (*discovery, error) {
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	var d discovery
	if err := getJSON(ctx, client, u, &d); err != nil {
		return nil, fmt.Errorf("%w: discovery: %w", ErrProviderUnavailable, err)
	}
	if strings.TrimSuffix(d.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
		return nil, fmt.Errorf("%w: discovery names issuer %q, config says %q", ErrProviderUnavailable, d.Issuer, issuer)
	}
	if d.AuthorizationEndpoint == "" || d.TokenEndpoint == "" || d.JWKSURI == "" {
		return nil, fmt.Errorf("%w: discovery lacks authorization, token or jwks endpoint", ErrProviderUnavailable)
	}
	return &d, nil
}

// scopes asks for the configured extra scopes, or else for groups and
// offline_access where the provider offers them (Keycloak refuses unknown
// scopes, so Pforte does not guess). With oidc.offline_access the tenant
// asked for background access: offline_access is requested in any case.
func (d *discovery) scopes(extra []string, offline bool) []string {
	s := []string{"openid", "profile", "email"}
	if offline {
		s = append(s, "offline_access")
	}
	if len(extra) > 0 {
		for _, e := range extra {
			if !slices.Contains(s, e) {
				s = append(s, e)
			}
		}
		return s
	}
	for _, opt := range []string{"groups", "offline_access"} {
		if !slices.Contains(s, opt) && (len(d.ScopesSupported) == 0 || slices.Contains(d.ScopesSupported, opt)) {
			s = append(s, opt)
		}
	}
	return s
}

func getJSON(ctx context.Context, client *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		return fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(v)
}
