package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

var errTokenInactive = errors.New("token is expired or its session ended")

// store is the example's in-memory storage with what the tests need on top:
// the `groups` claim, a `sid` claim, per-client access token lifetimes, an
// introspection client for Dovecot, and end_session revoking the session's
// tokens. Every other op.Storage method is the example's.
type store struct {
	*storage.Storage
	users    directory
	policies map[string]clientPolicy
	sessions *sessions
}

var _ op.CanTerminateSessionFromRequest = (*store)(nil)

func newStore(users directory, policies map[string]clientPolicy) *store {
	return &store{
		Storage:  storage.NewStorageWithClients(users, exampleClients(policies)),
		users:    users,
		policies: policies,
		sessions: newSessions(),
	}
}

// GetClientByClientID implements op.Storage.
func (s *store) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, clientID)
	if err != nil {
		return nil, fmt.Errorf("client %q: %w", clientID, err)
	}
	return client{Client: c, policy: s.policies[clientID]}, nil
}

// CreateAccessToken implements op.Storage (code flow without offline_access).
func (s *store) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	id, _, err := s.Storage.CreateAccessToken(ctx, req)
	if err != nil {
		return "", time.Time{}, err
	}
	g := s.grantFor(req, s.sessionOf(req))
	s.sessions.issued(id, "", "", g)
	return id, g.expiry, nil
}

// CreateAccessAndRefreshTokens implements op.Storage (code flow with
// offline_access, and refresh).
func (s *store) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, currentRefreshToken string) (string, string, time.Time, error) {
	// Read the session first: the example rotates the refresh token in place.
	sid := s.sessionOf(req)
	id, refreshToken, _, err := s.Storage.CreateAccessAndRefreshTokens(ctx, req, currentRefreshToken)
	if err != nil {
		return "", "", time.Time{}, err
	}
	g := s.grantFor(req, sid)
	s.sessions.issued(id, refreshToken, currentRefreshToken, g)
	return id, refreshToken, g.expiry, nil
}

// AuthRequestByCode implements op.Storage. For a user marked WrongNonce it
// changes the sign-in's nonce before the ID token is made from it.
func (s *store) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	req, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if r, ok := req.(*storage.AuthRequest); ok && s.users.wrongNonce(r.UserID) && !strings.HasPrefix(r.Nonce, wrongNoncePrefix) {
		r.Nonce = wrongNoncePrefix + r.Nonce
	}
	return req, nil
}

const wrongNoncePrefix = "not-"

// DeleteAuthRequest implements op.Storage; the op calls it once the tokens
// of a sign-in are issued.
func (s *store) DeleteAuthRequest(ctx context.Context, id string) error {
	s.sessions.forgetAuthRequest(id)
	return s.Storage.DeleteAuthRequest(ctx, id)
}

// SetUserinfoFromRequest implements op.CanSetUserinfoFromRequest: the
// claims of the ID token.
func (s *store) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	s.addGroups(info, req.GetSubject(), scopes)
	info.AppendClaims(claimObjectID, s.users.objectID(req.GetSubject()))
	if sid := s.sessionOf(req); sid != "" {
		info.AppendClaims("sid", sid)
	}
	return nil
}

// SetUserinfoFromToken implements op.Storage: the userinfo endpoint.
func (s *store) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	g, err := s.activeGrant(tokenID)
	if err != nil {
		return err
	}
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	s.addGroups(info, subject, g.scopes)
	info.AppendClaims(claimObjectID, s.users.objectID(subject))
	return nil
}

// SetIntrospectionFromToken implements op.Storage. The example only lets
// a client in the token's audience introspect it (active=false for any
// other: how the res-* resource servers refuse a token not meant for
// them); the introspect-only
// client (Dovecot) may introspect every client's tokens, as a Keycloak
// confidential client may. `username` is always the login name, which
// Dovecot maps to the mailbox.
func (s *store) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	g, err := s.activeGrant(tokenID)
	if err != nil {
		return err
	}
	if s.policies[clientID].introspectOnly {
		clientID = g.clientID
	}
	if err := s.Storage.SetIntrospectionFromToken(ctx, resp, tokenID, subject, clientID); err != nil {
		return err
	}
	resp.Expiration = oidc.FromTime(g.expiry)
	resp.Audience = g.audience
	resp.Username = s.users.username(subject)
	if resp.Claims == nil {
		resp.Claims = make(map[string]any)
	}
	resp.Claims[claimObjectID] = s.users.objectID(subject)
	if slices.Contains(g.scopes, scopeGroups) {
		resp.Claims["groups"] = s.users.groups(subject)
	}
	return nil
}

// TerminateSessionFromRequest implements op.CanTerminateSessionFromRequest:
// end_session revokes every token of the session named by the
// id_token_hint's sid, so introspection reports them inactive. Without a
// hint the example's behaviour stays: all of the user's tokens at the client.
func (s *store) TerminateSessionFromRequest(ctx context.Context, req *op.EndSessionRequest) (string, error) {
	if req.IDTokenHintClaims == nil || req.IDTokenHintClaims.SessionID == "" {
		if req.UserID != "" {
			if err := s.Storage.TerminateSession(ctx, req.UserID, req.ClientID); err != nil {
				return "", fmt.Errorf("terminate session: %w", err)
			}
		}
		return req.RedirectURI, nil
	}
	accessTokens, refreshTokens := s.sessions.end(req.IDTokenHintClaims.SessionID)
	for _, tokens := range []map[string]grant{accessTokens, refreshTokens} {
		for token, g := range tokens {
			if err := s.Storage.RevokeToken(ctx, token, g.userID, g.clientID); err != nil {
				return "", fmt.Errorf("revoke token of ended session: %w", err)
			}
		}
	}
	slog.InfoContext(ctx, "session ended", "client", req.ClientID,
		"access_tokens", len(accessTokens), "refresh_tokens", len(refreshTokens))
	return req.RedirectURI, nil
}

// activeGrant returns the grant of an access token that has neither expired
// nor been ended. Every token this process issued has one until then.
func (s *store) activeGrant(tokenID string) (grant, error) {
	g, ok := s.sessions.accessToken(tokenID)
	if !ok || time.Now().After(g.expiry) {
		return grant{}, errTokenInactive
	}
	return g, nil
}

// grantFor describes a token about to be issued for req.
func (s *store) grantFor(req op.TokenRequest, sid string) grant {
	clientID := clientOf(req)
	lifetime := s.policies[clientID].accessTokenLifetime
	if lifetime == 0 {
		lifetime = defaultAccessTokenLifetime
	}
	return grant{
		sid:      sid,
		clientID: clientID,
		userID:   req.GetSubject(),
		scopes:   slices.Clone(req.GetScopes()),
		expiry:   time.Now().Add(lifetime),
		audience: slices.Clone(req.GetAudience()),
	}
}

// sessionOf returns the session of a sign-in or of a refresh ("" for other
// requests). After a refresh the example's request already carries the new
// refresh token, which issued has recorded.
func (s *store) sessionOf(req any) string {
	switch r := req.(type) {
	case *storage.AuthRequest:
		return s.sessions.forAuthRequest(r.ID)
	case *storage.RefreshTokenRequest:
		return s.sessions.forRefreshToken(r.ID)
	case op.TokenExchangeRequest:
		return s.exchangedSession(r)
	}
	return ""
}

func (s *store) addGroups(info *oidc.UserInfo, userID string, scopes []string) {
	if slices.Contains(scopes, scopeGroups) {
		info.AppendClaims("groups", s.users.groups(userID))
	}
}

// clientOf returns the client a token request is for.
func clientOf(req op.TokenRequest) string {
	if r, ok := req.(interface{ GetClientID() string }); ok {
		return r.GetClientID()
	}
	return ""
}
