package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// FuzzVerifyLogoutToken: no string posted to the back-channel logout
// endpoint panics the token parser, every refusal is ErrInvalid, and only a
// token signed with the provider's key and complete claims is accepted. The
// input under test is the token; the provider is a static JWKS served locally.
func FuzzVerifyLogoutToken(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: string(jose.ES256), Use: "sig"}}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	}))
	f.Cleanup(srv.Close)
	const issuer = "https://id.muenchen.example/realms/staff"
	p := &Provider{cfg: &config.OIDC{ClientID: "pforte"}, disc: &discovery{Issuer: issuer}, client: srv.Client(),
		keys: &keySet{client: srv.Client(), url: srv.URL}, now: time.Now}

	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now().Unix()
	genuine := map[string]any{"iss": issuer, "aud": "pforte", "iat": now, "exp": now + 120, "jti": "j1", "sid": "s1",
		"events": map[string]any{backchannelEvent: map[string]any{}}}
	for _, c := range []map[string]any{
		genuine,
		{"iss": issuer, "aud": "pforte", "iat": now, "sub": "alice", "events": map[string]any{backchannelEvent: "x"}},
		{"iss": issuer, "aud": "other", "iat": now, "sid": "s1", "events": map[string]any{backchannelEvent: map[string]any{}}},
		{"iss": issuer, "aud": "pforte", "iat": now, "sid": "s1", "nonce": "n", "events": map[string]any{backchannelEvent: map[string]any{}}},
	} {
		raw := mustSign(f, signer, c)
		f.Add(raw)
		f.Add(tamper(raw))
	}
	f.Add(unsigned(genuine))
	for _, s := range []string{"", ".", "..", "a.b.c", "eyJhbGciOiJFUzI1NiJ9..", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.e30.AAAA"} {
		f.Add(s)
	}
	ctx := context.Background()
	if _, err := p.VerifyLogoutToken(ctx, mustSign(f, signer, genuine)); err != nil {
		f.Fatalf("genuine logout token refused: %v", err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := p.VerifyLogoutToken(ctx, raw)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("refusal is not ErrInvalid: %v", err)
			}
			return
		}
		if c.Issuer != issuer || (c.Subject == "" && c.SID == "") || c.Nonce != nil || c.IssuedAt == nil {
			t.Fatalf("accepted incomplete claims %+v from %q", c, raw)
		}
	})
}

// mustSign serializes claims as a JWT signed by signer.
func mustSign(f *testing.F, signer jose.Signer, claims map[string]any) string {
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		f.Fatal(err)
	}
	return raw
}
