package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// accounts is the request tenant's app password store.
func (s *Server) accounts(c *fiber.Ctx) *accounts.Store {
	return accounts.New(s.tenantStore(c), tenantOf(c).ID, s.AccountSealer)
}

// credentials says how to authenticate as u at each source, per the
// tenant's auth setting: the user's access token (bearer), their app
// password (password) or the IMAP master login (master). Values are copied
// now, so a background refresh after the request still has them.
func (s *Server) credentials(c *fiber.Ctx, u *auth.User) dashboard.CredentialFunc {
	t := tenantOf(c)
	accts := s.accounts(c)
	token, username, subject := u.Tokens.Access, u.Username, u.Subject
	return func(ctx context.Context, source string) (upstream.Credential, error) {
		switch sourceAuth(t, source) {
		case "bearer":
			if token == "" {
				return upstream.Credential{}, &upstream.Error{Source: source, Kind: upstream.KindAuth}
			}
			return upstream.Credential{Username: username, Token: token}, nil
		case "master":
			m := t.Mail
			if m.MasterStyle == "authzid" {
				return mail.AuthzIDCredential(username, m.MasterUser, m.MasterPassword), nil
			}
			return mail.MasterCredential(username, m.MasterUser, m.MasterPassword, m.MasterSeparator), nil
		default:
			a, ok, err := accts.Get(ctx, subject, source)
			if err != nil {
				return upstream.Credential{}, err
			}
			if !ok {
				return upstream.Credential{}, &upstream.Error{Source: source, Kind: upstream.KindNotSetUp}
			}
			return upstream.Credential{Username: a.Username, Password: a.Password}, nil
		}
	}
}

// sourceAuth is the tenant's auth mode for a source, "" when not configured.
func sourceAuth(t *tenant.Tenant, source string) string {
	switch {
	case source == "mail" && t.Mail != nil:
		return t.Mail.Auth
	case source == "calendar" && t.Calendar != nil:
		return t.Calendar.Auth
	case source == "files" && t.Files != nil:
		return t.Files.Auth
	}
	return ""
}
