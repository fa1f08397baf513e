package reminders

import (
	"context"
	"errors"
	"fmt"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// ErrNoCredential means Pforte holds nothing to read the person's calendar
// with while they are away (settings then says why reminders stopped).
var ErrNoCredential = errors.New("reminders: no background credential")

// Credentials gives the scheduler a credential for a person's calendar
// when they have no open Pforte tab: an app password or the master login
// from the tenant's accounts, or, for auth: bearer, an access token from a
// stored offline refresh token (the offline-token store of issue 16).
type Credentials interface {
	Background(ctx context.Context, tenant, subject, username string, claims map[string]string) (upstream.Credential, error)
}

// BearerTokens hands out a fresh access token for a person whose refresh
// token Pforte keeps (oidc.offline_access); ErrNoCredential when it keeps
// none. The offline-token store implements it.
type BearerTokens interface {
	AccessToken(ctx context.Context, tenant, subject string) (string, error)
}

// ResolverCredentials answers from each tenant's accounts.Resolver: app
// passwords and the master login work without the person; bearer needs
// Bearer (nil: reminders for bearer tenants stop with ReasonNoCredential).
type ResolverCredentials struct {
	Resolvers map[string]*accounts.Resolver // by tenant id
	Bearer    BearerTokens
}

// Background implements Credentials.
func (r ResolverCredentials) Background(ctx context.Context, tenant, subject, username string, claims map[string]string) (upstream.Credential, error) {
	res := r.Resolvers[tenant]
	if res == nil {
		return upstream.Credential{}, fmt.Errorf("reminders: unknown tenant %q", tenant)
	}
	p := accounts.Person{Subject: subject, Username: username, Claims: claims}
	if a := res.AuthOf("calendar"); a == accounts.AuthBearer || a == accounts.AuthExchange {
		if r.Bearer == nil {
			return upstream.Credential{}, ErrNoCredential
		}
		tok, err := r.Bearer.AccessToken(ctx, tenant, subject)
		if err != nil {
			return upstream.Credential{}, err
		}
		p.AccessToken = tok
	}
	cred, err := res.For(p)(ctx, "calendar")
	var ue *upstream.Error
	if errors.As(err, &ue) && ue.Kind == upstream.KindNotSetUp {
		return upstream.Credential{}, ErrNoCredential
	}
	return cred, err
}
