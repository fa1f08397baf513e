package main

import (
	"context"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ValidateTokenExchangeRequest implements op.TokenExchangeStorage: OAuth
// 2.0 Token Exchange (RFC 8693) the way Keycloak's "standard token
// exchange" (V2) does it for openDesk's intercom service. A confidential
// client trades a user's access token that was issued to it for an access
// token of one audience it is allowed; the new token belongs to the same
// user and session. The example storage's own check (impersonation by
// admins only) is replaced. Refusals are OAuth errors with a description
// an admin can act on, as Keycloak answers them (its
// services/src/main/java/org/keycloak/protocol/oidc/tokenexchange/StandardTokenExchangeProvider.java).
func (s *store) ValidateTokenExchangeRequest(ctx context.Context, req op.TokenExchangeRequest) error {
	client := req.GetClientID()
	policy := s.policies[client]
	if len(policy.exchangeAudiences) == 0 {
		return oidc.ErrUnauthorizedClient().WithDescription("Standard token exchange is not enabled for the requested client")
	}
	if req.GetRequestedTokenType() == "" {
		req.SetRequestedTokenType(oidc.AccessTokenType)
	}
	if req.GetRequestedTokenType() != oidc.AccessTokenType {
		return oidc.ErrInvalidRequest().WithDescription("requested_token_type unsupported: only access tokens are issued")
	}
	if req.GetExchangeSubjectTokenType() != oidc.AccessTokenType {
		return oidc.ErrInvalidRequest().WithDescription("subject_token_type unsupported: send an access token")
	}
	g, err := s.activeGrant(req.GetExchangeSubjectTokenIDOrToken())
	if err != nil {
		return oidc.ErrInvalidRequest().WithDescription("subject_token is not active")
	}
	if g.clientID != client {
		return oidc.ErrAccessDenied().WithDescription("client is not within the token audience")
	}
	aud := req.GetAudience()
	if len(aud) != 1 {
		return oidc.ErrInvalidRequest().WithDescription("name exactly one audience")
	}
	if _, known := s.policies[aud[0]]; !known {
		return oidc.ErrInvalidRequest().WithDescription("Requested audience not available: %s", aud[0])
	}
	if !slices.Contains(policy.exchangeAudiences, aud[0]) {
		return oidc.ErrAccessDenied().WithDescription("Client not allowed to exchange to audience %s", aud[0])
	}
	// The exchanged token carries the scopes of the user's token, no more.
	req.SetCurrentScopes(slices.DeleteFunc(slices.Clone(req.GetScopes()), func(sc string) bool {
		return !slices.Contains(g.scopes, sc)
	}))
	if len(req.GetScopes()) == 0 {
		req.SetCurrentScopes(slices.Clone(g.scopes))
	}
	return nil
}

// exchangedSession is the session of the token a token exchange trades,
// so ending the session also ends the exchanged tokens.
func (s *store) exchangedSession(req op.TokenExchangeRequest) string {
	g, ok := s.sessions.accessToken(req.GetExchangeSubjectTokenIDOrToken())
	if !ok {
		return ""
	}
	return g.sid
}
