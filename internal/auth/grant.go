package auth

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// ErrGrantRefused says the provider answered a refresh with invalid_grant:
// the refresh token is revoked, expired or already used, and it will never
// work again (RFC 6749 section 5.2). Other refusals (a wrong client secret)
// are the operator's to fix and say nothing about the user's grant.
var ErrGrantRefused = errors.New("auth: the provider refused the grant (invalid_grant)")

func grantRefused(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.ErrorCode == "invalid_grant"
}

// RenewedFunc hears of every sign-in and session refresh that succeeded:
// old and renewed are the session's tokens before and after (old is empty
// for a sign-in). Background access
// (internal/offline) keeps the newest refresh token of users who turned
// reminders on this way, since providers rotate refresh tokens.
type RenewedFunc func(ctx context.Context, tenantID, subject string, old, renewed Tokens)

// OnRenewed registers f for every sign-in (Exchange) and refresh (Refresher)
// through ps; set it before serving.
func (ps *Providers) OnRenewed(f RenewedFunc) { ps.renewed = f }
