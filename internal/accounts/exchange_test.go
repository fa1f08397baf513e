package accounts

import (
	"context"
	"errors"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/exchange"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// exchangerFunc is an Exchanger made of a function.
type exchangerFunc func(subject, userToken, audience string) (string, error)

func (f exchangerFunc) Token(_ context.Context, subject, userToken, audience string) (string, error) {
	return f(subject, userToken, audience)
}

// auth: exchange hands the source the token exchanged for its audience
// (never the user's own) with the user's claims; a refusal is an auth
// error whose reason names what to allow.
func TestResolverExchange(t *testing.T) {
	cfg := &config.Tenant{ID: "t1",
		Calendar: &config.DAV{Auth: AuthExchange, Audience: "opendesk-nextcloud"},
		Files:    &config.DAV{Auth: AuthExchange, Audience: "res-private"}}
	r := NewResolver(cfg, nil).WithExchanger(exchangerFunc(func(sub, tok, aud string) (string, error) {
		if aud == "res-private" {
			return "", &exchange.Refused{Client: "pforte", Audience: aud, Status: 403, Code: "access_denied"}
		}
		return "x-" + aud + "-" + sub + "-" + tok, nil
	}))
	creds := r.For(Person{Subject: "s1", Username: "erika", AccessToken: "tok", Claims: map[string]string{"opendesk_objectid": "o1"}})
	c, err := creds(context.Background(), "calendar")
	if err != nil || c.Token != "x-opendesk-nextcloud-s1-tok" || c.Claims["opendesk_objectid"] != "o1" || c.Username != "erika" {
		t.Errorf("calendar: %+v, %v; want the exchanged token with the claims", c, err)
	}
	_, err = creds(context.Background(), "files")
	var ue *upstream.Error
	if upstream.KindOf(err) != upstream.KindAuth || !errors.As(err, &ue) || ue.Reason == "" {
		t.Errorf("refused exchange: %v, want an auth error with an admin's reason", err)
	}
	if _, err := r.For(Person{Subject: "s1"})(context.Background(), "calendar"); upstream.KindOf(err) != upstream.KindAuth {
		t.Errorf("no user token: %v, want auth (sign in again)", err)
	}
}
