package offline_test

import (
	"net/http"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
)

// TestSessionRefreshKeepsNewestToken: the kept token came from the
// user's session, and the provider rotates refresh tokens; when the
// session refreshes (auth.Refresher, as on every page an hour on) the kept
// token is spent, so background access works later only because the
// refresh handed the newest token on (Providers.OnRenewed → Renewed).
func TestSessionRefreshKeepsNewestToken(t *testing.T) {
	r := newRig(t)
	toks, sub := r.signIn(t, "alice")
	ctx := t.Context()
	a := r.instance(t, time.Hour)
	if err := a.Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	ps := auth.NewProviders(&http.Client{Timeout: 10 * time.Second}, nil)
	ps.OnRenewed(a.Renewed)
	u := &auth.User{Tenant: r.tenant, Subject: sub, Tokens: auth.Tokens{Access: toks.AccessToken, Refresh: toks.RefreshToken, Expiry: toks.Expiry}}
	if _, err := auth.NewRefresher(ps, 10*time.Second, 8).Refresh(ctx, "session-1", r.tenant, r.oidc, u); err != nil {
		t.Fatalf("session refresh: %v", err)
	}
	if _, err := a.AccessToken(ctx, r.tenant, sub); err != nil {
		t.Fatalf("background access after the session refreshed: %v", err)
	}
}
