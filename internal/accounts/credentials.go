package accounts

import (
	"context"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Auth kinds a source may be configured with (its auth key).
const (
	AuthBearer   = "bearer"   // the user's access token from the sign-in
	AuthPassword = "password" // an app password the user entered in settings
	AuthMaster   = "master"   // the IMAP master login (mail only)
	AuthExchange = "exchange" // the user's token exchanged for the source's audience (RFC 8693)
)

// Resolver knows how a user authenticates at each source of one tenant:
// the one place that decides it, so handlers and workers never do.
type Resolver struct {
	cfg   *config.Tenant
	accts *Store
	xchg  Exchanger
}

// NewResolver returns the resolver of tenant t, whose app passwords are in accts.
func NewResolver(t *config.Tenant, accts *Store) *Resolver {
	return &Resolver{cfg: t, accts: accts}
}

// WithExchanger sets how the resolver exchanges tokens for sources with
// auth: exchange (without one, such sources report an auth error).
func (r *Resolver) WithExchanger(x Exchanger) *Resolver {
	r.xchg = x
	return r
}

// Accounts is the tenant's app password store.
func (r *Resolver) Accounts() *Store { return r.accts }

// Person is whose credentials are resolved: what the sign-in knows of them.
type Person struct {
	Subject     string
	Username    string
	AccessToken string
	// Claims are the sign-in claims source URLs name ({claim:NAME}).
	Claims map[string]string
}

// For says how to authenticate as p at each source, per the tenant's auth
// setting: the user's access token (bearer), their app password (password)
// or the IMAP master login (master). p is a copy, so a background refresh
// after the request still has it. An *upstream.Error of KindNotSetUp means
// "not connected yet". (The result is a dashboard.CredentialFunc.)
func (r *Resolver) For(p Person) func(ctx context.Context, source string) (upstream.Credential, error) {
	return func(ctx context.Context, source string) (upstream.Credential, error) {
		switch r.AuthOf(source) {
		case AuthBearer:
			if p.AccessToken == "" {
				return upstream.Credential{}, &upstream.Error{Source: source, Kind: upstream.KindAuth}
			}
			return upstream.Credential{Username: p.Username, Token: p.AccessToken, Claims: p.Claims}, nil
		case AuthExchange:
			return r.exchanged(ctx, p, source)
		case AuthMaster:
			m := r.cfg.Mail
			if m.MasterStyle == "authzid" {
				return mail.AuthzIDCredential(p.Username, m.MasterUser, m.MasterPassword), nil
			}
			return mail.MasterCredential(p.Username, m.MasterUser, m.MasterPassword, m.MasterSeparator), nil
		default:
			a, ok, err := r.accts.Get(ctx, p.Subject, source)
			if err != nil {
				return upstream.Credential{}, err
			}
			if !ok {
				return upstream.Credential{}, &upstream.Error{Source: source, Kind: upstream.KindNotSetUp}
			}
			return upstream.Credential{Username: a.Username, Password: a.Password, Claims: p.Claims}, nil
		}
	}
}

// AuthOf is the tenant's auth kind for a source, "" when not configured.
func (r *Resolver) AuthOf(source string) string {
	t := r.cfg
	switch {
	case source == "mail" && t.Mail != nil:
		return t.Mail.Auth
	case source == "calendar" && t.Calendar != nil:
		return t.Calendar.Auth
	case source == "files" && t.Files != nil:
		return t.Files.Auth
	case source == "notifications" && t.Notifications != nil:
		return t.Notifications.Auth
	}
	return ""
}
