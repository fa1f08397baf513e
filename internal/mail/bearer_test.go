package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// redirectURI is any loopback callback the test provider accepts; nothing
// needs to listen there.
const redirectURI = "http://127.0.0.1:9/auth/callback"

// accessToken signs user in at the stack's OpenID Provider the way a
// browser would and returns the access token Pforte would hold.
func accessToken(t *testing.T, user string) string {
	t.Helper()
	issuer := testenv.Server(t, "PFORTE_TEST_OIDC_ISSUER")
	pw, ok := pairs(t, "PFORTE_TEST_OIDC_USERS")[user]
	if !ok {
		t.Fatalf("PFORTE_TEST_OIDC_USERS has no %s", user)
	}
	tokens := testenv.OIDCLogin(t, issuer,
		testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_ID"), testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_SECRET"),
		redirectURI, user, pw)
	if tokens.AccessToken == "" {
		t.Fatalf("no access token for %s", user)
	}
	return tokens.AccessToken
}

func TestFetchWithAccessToken(t *testing.T) {
	t.Parallel()
	alice, bob := accessToken(t, "alice"), accessToken(t, "bob")
	subject := "Token-Anmeldung für Alice " + randomHex()
	seed(t, userCredential(t, "alice"), mail{From: "Hauptamt <hauptamt@stadt.example>", Subject: subject,
		Date: time.Now(), Received: time.Now()})

	for _, mech := range defaultBearerMechs() {
		t.Run(mech, func(t *testing.T) {
			c := newClient(t, Options{Limit: 50}) // other tests may add to alice's INBOX too
			c.bearerMechs = []string{mech}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			t.Run("own token opens own mailbox", func(t *testing.T) {
				got, err := c.Fetch(ctx, upstream.Credential{Username: "alice", Token: alice})
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range got.Messages {
					if m.Subject == subject {
						return
					}
				}
				t.Errorf("alice's token: %d unread, %+v: want the message %q", got.Unread, got.Messages, subject)
			})
			t.Run("another user's token is refused", func(t *testing.T) {
				_, err := c.Fetch(ctx, upstream.Credential{Username: "alice", Token: bob})
				wantKind(t, err, upstream.KindAuth)
				if strings.Contains(err.Error(), bob) {
					t.Errorf("error %q reveals the token", err)
				}
			})
			t.Run("tampered token is refused", func(t *testing.T) {
				tampered := alice[:len(alice)-1] + string(alice[len(alice)-1]^1)
				_, err := c.Fetch(ctx, upstream.Credential{Username: "alice", Token: tampered})
				wantKind(t, err, upstream.KindAuth)
				if strings.Contains(err.Error(), tampered) {
					t.Errorf("error %q reveals the token", err)
				}
			})
		})
	}
}
