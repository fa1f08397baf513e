package main

import (
	"crypto/rand"
	"sync"
	"time"
)

// grant is what the provider remembers about an issued token beyond what
// the example storage keeps: the sign-in session it belongs to, and when
// it really expires (the example's access tokens always live 5 minutes).
type grant struct {
	sid      string
	clientID string
	userID   string
	scopes   []string
	expiry   time.Time
	// audience is who the token is for: the client it was issued to, or
	// the resource server a token exchange asked for.
	audience []string
}

// sessions maps sign-ins to session IDs (the `sid` claim) and tokens to
// sessions, so end_session can revoke exactly the tokens of the session
// named by its id_token_hint. The example OP keeps no single sign-on
// session: every authorization request is a new sign-in and gets its own
// session, like a fresh browser against Keycloak.
type sessions struct {
	mu            sync.Mutex
	byAuthRequest map[string]string // auth request ID → sid
	accessTokens  map[string]grant  // access token ID → grant
	refreshTokens map[string]grant  // refresh token → grant
}

func newSessions() *sessions {
	return &sessions{
		byAuthRequest: make(map[string]string),
		accessTokens:  make(map[string]grant),
		refreshTokens: make(map[string]grant),
	}
}

// forAuthRequest returns the session ID of a sign-in, creating it on first use.
func (s *sessions) forAuthRequest(authRequestID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sid, ok := s.byAuthRequest[authRequestID]
	if !ok {
		sid = rand.Text()
		s.byAuthRequest[authRequestID] = sid
	}
	return sid
}

// forgetAuthRequest drops the sign-in once its tokens are issued.
func (s *sessions) forgetAuthRequest(authRequestID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byAuthRequest, authRequestID)
}

// forRefreshToken returns the session of a refresh token ("" if unknown).
func (s *sessions) forRefreshToken(refreshToken string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshTokens[refreshToken].sid
}

// issued records a new access token and, if not empty, its refresh token.
// A refresh token that was rotated away is forgotten.
func (s *sessions) issued(accessTokenID, refreshToken, rotated string, g grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for id, old := range s.accessTokens {
		if now.After(old.expiry) {
			delete(s.accessTokens, id)
		}
	}
	s.accessTokens[accessTokenID] = g
	if rotated != "" {
		delete(s.refreshTokens, rotated)
	}
	if refreshToken != "" {
		s.refreshTokens[refreshToken] = g
	}
}

// accessToken returns what is known about an access token.
func (s *sessions) accessToken(id string) (grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.accessTokens[id]
	return g, ok
}

// end forgets a session and returns its access token IDs and refresh tokens
// with their grants, for the caller to revoke in the example storage.
func (s *sessions) end(sid string) (accessTokens, refreshTokens map[string]grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	accessTokens = take(s.accessTokens, sid)
	refreshTokens = take(s.refreshTokens, sid)
	return accessTokens, refreshTokens
}

// take removes and returns the entries of m that belong to session sid.
func take(m map[string]grant, sid string) map[string]grant {
	taken := make(map[string]grant)
	for k, g := range m {
		if g.sid == sid {
			taken[k] = g
			delete(m, k)
		}
	}
	return taken
}
