package auth

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// User is a signed-in employee as kept in the session. It is sealed as a
// whole before it reaches the store, so no token is ever stored in clear.
type User struct {
	Tenant     string    `json:"tenant"`
	Subject    string    `json:"sub"`
	SID        string    `json:"sid,omitempty"`
	Username   string    `json:"username"`
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Groups     []string  `json:"groups"`
	Admin      bool      `json:"admin"`
	Demo       bool      `json:"demo,omitempty"`
	CSRF       string    `json:"csrf"`
	Tokens     Tokens    `json:"tokens"`
	SignedInAt time.Time `json:"signed_in_at"`

	// Claims are the sign-in claims the tenant's source URLs name.
	Claims map[string]string `json:"claims,omitempty"`
}

// NewUser builds the session user from a verified identity; admin is
// membership in any of adminGroups.
func NewUser(tenant string, id *Identity, toks Tokens, adminGroups []string, now time.Time) *User {
	u := &User{Tenant: tenant, Subject: id.Subject, SID: id.SID, Username: id.Username, Name: id.Name,
		Email: id.Email, Groups: id.Groups, Claims: id.Claims, Tokens: toks, CSRF: randomString(32), SignedInAt: now}
	for _, g := range adminGroups {
		if slices.Contains(id.Groups, g) {
			u.Admin = true
		}
	}
	return u
}

// InGroup reports membership.
func (u *User) InGroup(g string) bool { return slices.Contains(u.Groups, g) }

// NeedsRefresh is true shortly before the access token expires.
func (u *User) NeedsRefresh(now time.Time) bool {
	return !u.Demo && !u.Tokens.Expiry.IsZero() && now.Add(time.Minute).After(u.Tokens.Expiry)
}

// SealUser encrypts u for the store, bound to its tenant.
func SealUser(s *Sealer, u *User) ([]byte, error) {
	raw, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("auth: marshal user: %w", err)
	}
	return s.Seal(raw, []byte("user:"+u.Tenant)), nil
}

// OpenUser decrypts a sealed user of tenant.
func OpenUser(s *Sealer, tenant string, sealed []byte) (*User, error) {
	raw, err := s.Open(sealed, []byte("user:"+tenant))
	if err != nil {
		return nil, err
	}
	var u User
	if err := json.Unmarshal(raw, &u); err != nil {
		return nil, fmt.Errorf("auth: unmarshal user: %w", err)
	}
	if u.Tenant != tenant {
		return nil, fmt.Errorf("auth: session of tenant %q used on %q", u.Tenant, tenant)
	}
	return &u, nil
}

// NewCSRFToken returns a fresh random token.
func NewCSRFToken() string { return randomString(32) }
