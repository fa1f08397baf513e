package offline_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// rig is one Pforte instance's background access against the stack's
// Redis and OIDC provider, tenant "a" with offline_access.
type rig struct {
	st         store.Store
	tenant     string
	oidc       *config.OIDC
	introspect string
}

func newRig(t *testing.T) rig {
	t.Helper()
	st, err := store.Open(context.Background(), testenv.Server(t, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return rig{st: st, tenant: "offline-" + strings.ReplaceAll(t.Name(), "/", "-"),
		oidc: &config.OIDC{Issuer: testenv.Server(t, "PFORTE_TEST_OIDC_ISSUER"), ClientID: testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_ID"),
			ClientSecret: testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_SECRET"), GroupsClaim: "groups", OfflineAccess: true},
		introspect: testenv.Server(t, "PFORTE_TEST_OIDC_INTROSPECT_URL")}
}

// instance is a fresh Access as another Pforte instance (or one after a
// restart) builds it: it shares nothing but the store and secret_key.
// later moves its clock past every access token's expiry, so each call
// must use the refresh token.
func (r rig) instance(t *testing.T, later time.Duration) *offline.Access {
	t.Helper()
	sealer, err := auth.NewSealer("test secret key with enough bytes!", "offline refresh token v1")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Now().Add(later) }
	return offline.New(r.st, sealer, auth.NewProviders(&http.Client{Timeout: 10 * time.Second}, nil),
		map[string]*config.OIDC{r.tenant: r.oidc}, now)
}

// signIn signs user in at the provider as Pforte's sign-in would and
// returns the session's tokens and the subject.
func (r rig) signIn(t *testing.T, user string) (testenv.OIDCTokens, string) {
	t.Helper()
	toks := testenv.OIDCLogin(t, r.oidc.Issuer, r.oidc.ClientID, r.oidc.ClientSecret,
		"http://127.0.0.1:47321/auth/callback", user, user+"-pw")
	parts := strings.Split(toks.IDToken, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Sub string }
	if err := json.Unmarshal(raw, &c); err != nil || c.Sub == "" {
		t.Fatalf("id token without sub: %v", err)
	}
	return toks, c.Sub
}

// TestKeptTokenWorksWithoutSession: a user turns reminders on, closes the
// tab; an hour later (every access token expired) another instance gets a
// working access token for their calendar, and again after that with the
// rotated refresh token it stored.
func TestKeptTokenWorksWithoutSession(t *testing.T) {
	r := newRig(t)
	toks, sub := r.signIn(t, "alice")
	ctx := t.Context()
	if err := r.instance(t, 0).Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	later := r.instance(t, time.Hour)
	first, err := later.AccessToken(ctx, r.tenant, sub)
	if err != nil {
		t.Fatalf("access token an hour later: %v", err)
	}
	if first == toks.AccessToken || !testenv.Introspect(t, r.introspect, first) {
		t.Fatalf("the access token is not a new, active one")
	}
	// The provider rotates refresh tokens: the kept one is spent, so a
	// second refresh works only if the rotated one was stored.
	second, err := r.instance(t, 2*time.Hour).AccessToken(ctx, r.tenant, sub)
	if err != nil {
		t.Fatalf("second refresh (rotated token not stored?): %v", err)
	}
	if second == first || !testenv.Introspect(t, r.introspect, second) {
		t.Fatalf("the second access token is not a new, active one")
	}
	if s, _ := later.Status(ctx, r.tenant, sub); !s.Kept {
		t.Fatalf("status = %s, want kept", s)
	}
}

// TestRefusedTokenIsDeletedWithReason: the provider withdraws the grant
// (an admin ended the user's offline sessions); the next use deletes the
// token and the settings page can say why reminders stopped.
func TestRefusedTokenIsDeletedWithReason(t *testing.T) {
	r := newRig(t)
	toks, sub := r.signIn(t, "bob")
	ctx := t.Context()
	a := r.instance(t, time.Hour)
	if err := a.Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	revokeGrants(t, r.oidc.Issuer, sub, r.oidc.ClientID)
	if _, err := a.AccessToken(ctx, r.tenant, sub); !errors.Is(err, offline.ErrNotKept) {
		t.Fatalf("after the provider refused: err = %v, want ErrNotKept", err)
	}
	if _, err := store.ForTenant(r.st, r.tenant).Get(ctx, "offline:"+sub); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused token is still stored (err %v)", err)
	}
	s, err := a.Status(ctx, r.tenant, sub)
	if err != nil {
		t.Fatal(err)
	}
	want := "stopped: the sign-in provider no longer accepts Pforte's access (invalid_grant)"
	if s.Kept || s.String() != want {
		t.Fatalf("status = %q, want %q", s, want)
	}
	// Turning reminders on again starts afresh.
	toks, _ = r.signIn(t, "bob")
	if err := a.Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.Status(ctx, r.tenant, sub); !s.Kept {
		t.Fatalf("after keeping again: status = %s", s)
	}
}

// TestForgetDeletes: opt-out leaves nothing; a logout everywhere deletes
// the token and says so.
func TestForgetDeletes(t *testing.T) {
	r := newRig(t)
	toks, sub := r.signIn(t, "carol")
	ctx := t.Context()
	a := r.instance(t, time.Hour)
	for _, c := range []struct {
		reason offline.Reason
		want   string
	}{{offline.OptOut, "off"}, {offline.LogoutEverywhere, "stopped: you were logged out everywhere"}} {
		if err := a.Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
			t.Fatal(err)
		}
		if err := a.Forget(ctx, r.tenant, sub, c.reason); err != nil {
			t.Fatal(err)
		}
		if _, err := a.AccessToken(ctx, r.tenant, sub); !errors.Is(err, offline.ErrNotKept) {
			t.Errorf("%s: access token after forget: err = %v", c.reason, err)
		}
		if s, _ := a.Status(ctx, r.tenant, sub); s.String() != c.want {
			t.Errorf("%s: status %q, want %q", c.reason, s, c.want)
		}
	}
}

// TestTokenSealedAtRest: whoever reads the store (a backup, a Redis
// MONITOR) sees no refresh token, and a sealed value copied to another
// user's key does not open.
func TestTokenSealedAtRest(t *testing.T) {
	r := newRig(t)
	toks, sub := r.signIn(t, "alice")
	ctx := t.Context()
	a := r.instance(t, 0)
	if err := a.Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	ts := store.ForTenant(r.st, r.tenant)
	raw, err := ts.Get(ctx, "offline:"+sub)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(toks.RefreshToken)) || bytes.Contains(raw, []byte(`"refresh"`)) {
		t.Fatal("the refresh token is readable in the store")
	}
	if err := ts.Set(ctx, "offline:mallory", raw, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AccessToken(ctx, r.tenant, "mallory"); !errors.Is(err, offline.ErrNotKept) {
		t.Fatalf("a token copied to another user opened: err = %v", err)
	}
	if err := a.Keep(ctx, "no-offline-tenant", sub, toks.RefreshToken); !errors.Is(err, offline.ErrNotEnabled) {
		t.Fatalf("kept for a tenant without offline_access: err = %v", err)
	}
}

// revokeGrants makes the provider forget every token of sub at client
// (scripts/oidc-provider's /test/revoke-grants).
func revokeGrants(t *testing.T, issuer, sub, client string) {
	t.Helper()
	res, err := http.PostForm(issuer+"/test/revoke-grants", url.Values{"sub": {sub}, "client_id": {client}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke grants: status %d", res.StatusCode)
	}
}
