package accounts

import (
	"context"
	"errors"

	"gitlab.opencode.de/pforte/pforte/internal/exchange"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Exchanger trades the user's access token for one of audience
// (internal/exchange.Exchanger).
type Exchanger interface {
	Token(ctx context.Context, subject, userToken, audience string) (string, error)
}

// AudienceOf is the audience a source with auth: exchange asks for.
func (r *Resolver) AudienceOf(source string) string {
	t := r.cfg
	switch {
	case source == "mail" && t.Mail != nil:
		return t.Mail.Audience
	case source == "calendar" && t.Calendar != nil:
		return t.Calendar.Audience
	case source == "files" && t.Files != nil:
		return t.Files.Audience
	case source == "notifications" && t.Notifications != nil:
		return t.Notifications.Audience
	}
	return ""
}

// exchanged is the credential of a source with auth: exchange: the user's
// token exchanged for the source's audience. A refusal is an auth error
// whose reason tells the admin what to allow at the provider.
func (r *Resolver) exchanged(ctx context.Context, p Person, source string) (upstream.Credential, error) {
	if p.AccessToken == "" || r.xchg == nil {
		return upstream.Credential{}, &upstream.Error{Source: source, Kind: upstream.KindAuth}
	}
	tok, err := r.xchg.Token(ctx, p.Subject, p.AccessToken, r.AudienceOf(source))
	var refused *exchange.Refused
	switch {
	case errors.As(err, &refused):
		return upstream.Credential{}, &upstream.Error{Source: source, Kind: upstream.KindAuth, Err: err, Reason: refused.Reason()}
	case err != nil:
		return upstream.Credential{}, upstream.Wrap(source, upstream.KindUnreachable, err)
	}
	return upstream.Credential{Username: p.Username, Token: tok, Claims: p.Claims}, nil
}
