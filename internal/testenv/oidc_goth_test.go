package testenv

import (
	"testing"

	"github.com/markbates/goth/providers/openidConnect"
)

func TestGothDiscoversAndSignsIn(t *testing.T) {
	p := newTestProvider(t)
	provider, err := openidConnect.New(p.pforte.id, p.pforte.secret, callbackURI,
		p.issuer+"/.well-known/openid-configuration", "openid", "profile", "email", "groups", "offline_access")
	if err != nil {
		t.Fatalf("goth discovery: %v", err)
	}
	if provider.OpenIDConfig.EndSessionEndpoint != p.disc.EndSessionEndpoint || p.disc.EndSessionEndpoint == "" {
		t.Errorf("goth end_session endpoint %q, want %q", provider.OpenIDConfig.EndSessionEndpoint, p.disc.EndSessionEndpoint)
	}

	sess, err := provider.BeginAuth("goth-state")
	if err != nil {
		t.Fatal(err)
	}
	authURL, _ := sess.GetAuthURL()
	callback, err := signIn(t.Context(), authURL, callbackURI, "bob", "bob-pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Authorize(provider, callback.Query()); err != nil {
		t.Fatalf("goth code exchange: %v", err)
	}
	user, err := provider.FetchUser(sess)
	if err != nil {
		t.Fatalf("goth FetchUser: %v", err)
	}
	if user.Name != "Bernd Huber" || !sameClaim(user.RawData["groups"], []string{"staff", "it-admins"}) {
		t.Errorf("goth user %q with groups %v, want Bernd Huber in [staff it-admins]", user.Name, user.RawData["groups"])
	}
	if _, err := provider.RefreshToken(user.RefreshToken); err != nil {
		t.Errorf("goth refresh: %v", err)
	}
}
