package exchange

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// provider is the stack's test OIDC provider as Pforte's client pforte.
type provider struct {
	issuer, id, secret string
}

func testProvider(t *testing.T) provider {
	return provider{testenv.Server(t, "PFORTE_TEST_OIDC_ISSUER"),
		testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_ID"), testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_SECRET")}
}

func (p provider) introspectAs(client string) string {
	return "http://" + client + ":" + client + "-secret@" + strings.TrimPrefix(p.issuer, "http://") + "/oauth/introspect"
}

func newExchanger(t *testing.T, p provider, now func() time.Time) (*Exchanger, store.Store) {
	t.Helper()
	st, err := store.NewBolt(filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	sealer, err := auth.NewSealer("a-test-secret-of-enough-length-0123456789", "token exchange v1")
	if err != nil {
		t.Fatal(err)
	}
	x := New(Options{Store: st, Tenant: "t1", Sealer: sealer, ClientID: p.id, ClientSecret: p.secret,
		HTTP: &http.Client{Timeout: 5 * time.Second}, Now: now,
		Endpoint: func(context.Context) (string, error) { return p.issuer + "/oauth/token", nil }})
	return x, st
}

// The exchanged token opens only its audience: the resource server res-imap
// accepts it and refuses the user's own token. It is kept sealed (not
// exchanged again, not stored in clear), and exchanged again once the
// user's token was refreshed or it is about to expire.
func TestExchangeKeepsAndRenews(t *testing.T) {
	p := testProvider(t)
	toks := testenv.OIDCLogin(t, p.issuer, p.id, p.secret, "http://127.0.0.1:1/auth/callback", "alice", "alice-pw")
	clock := time.Now()
	x, st := newExchanger(t, p, func() time.Time { return clock })
	ctx := t.Context()

	first, err := x.Token(ctx, "sub-alice", toks.AccessToken, "res-imap")
	if err != nil {
		t.Fatal(err)
	}
	if first == toks.AccessToken || !testenv.Introspect(t, p.introspectAs("res-imap"), first) {
		t.Fatal("the exchanged token is not active for its audience res-imap")
	}
	if testenv.Introspect(t, p.introspectAs("res-imap"), toks.AccessToken) {
		t.Fatal("res-imap accepts the user's own token: the stack cannot tell exchange from pass-through")
	}
	if testenv.Introspect(t, p.introspectAs("res-caldav"), first) {
		t.Error("a token exchanged for res-imap is active at res-caldav")
	}
	again, err := x.Token(ctx, "sub-alice", toks.AccessToken, "res-imap")
	if err != nil || again != first {
		t.Errorf("second ask with the same user token exchanged again (%v)", err)
	}
	raw, err := st.Get(ctx, key("sub-alice", "res-imap"))
	if err != nil || strings.Contains(string(raw), first) {
		t.Errorf("exchanged token not kept, or kept in clear text (%v)", err)
	}

	// Refresh the user's token: the next ask exchanges the new one.
	cfg := oauth2.Config{ClientID: p.id, ClientSecret: p.secret, Endpoint: oauth2.Endpoint{TokenURL: p.issuer + "/oauth/token"}}
	refreshed, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: toks.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := x.Token(ctx, "sub-alice", refreshed.AccessToken, "res-imap")
	if err != nil || renewed == first || !testenv.Introspect(t, p.introspectAs("res-imap"), renewed) {
		t.Fatalf("after the user's refresh: same token %v, err %v; want a new active one", renewed == first, err)
	}

	// Shortly before it expires, a kept token is replaced.
	clock = clock.Add(5*time.Minute - Margin + time.Second)
	later, err := x.Token(ctx, "sub-alice", refreshed.AccessToken, "res-imap")
	if err != nil || later == renewed {
		t.Errorf("a kept token about to expire was handed out again (%v)", err)
	}
}

// A refused exchange says which client, which audience and what the
// provider answered, so an admin knows what to allow; nothing is kept.
func TestExchangeRefused(t *testing.T) {
	p := testProvider(t)
	toks := testenv.OIDCLogin(t, p.issuer, p.id, p.secret, "http://127.0.0.1:1/auth/callback", "bob", "bob-pw")
	x, st := newExchanger(t, p, time.Now)
	for aud, code := range map[string]string{"res-private": "access_denied", "no-such-client": "invalid_request"} {
		_, err := x.Token(t.Context(), "sub-bob", toks.AccessToken, aud)
		var r *Refused
		if !errors.As(err, &r) || r.Code != code {
			t.Fatalf("%s: %v, want a refusal with %s", aud, err, code)
		}
		reason := r.Reason()
		for _, want := range []string{"refused token exchange for audience " + aud, "client " + p.id, code} {
			if !strings.Contains(reason, want) {
				t.Errorf("%s: reason %q lacks %q", aud, reason, want)
			}
		}
		if strings.Contains(err.Error(), toks.AccessToken) || strings.Contains(reason, toks.AccessToken) {
			t.Error("the refusal names the user's token")
		}
		if _, err := st.Get(t.Context(), key("sub-bob", aud)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: something kept after a refusal (%v)", aud, err)
		}
	}
	// A provider that does not answer is not a refusal.
	x.o.Endpoint = func(context.Context) (string, error) { return "http://127.0.0.1:1/oauth/token", nil }
	if _, err := x.Token(t.Context(), "sub-bob", toks.AccessToken, "res-imap"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("unreachable provider: %v, want ErrUnavailable", err)
	}
}
