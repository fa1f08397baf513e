package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

func realProvider(t *testing.T, now func() time.Time) (*Provider, *config.OIDC) {
	t.Helper()
	cfg := &config.OIDC{
		Issuer:       testenv.Server(t, "PFORTE_TEST_OIDC_ISSUER"),
		ClientID:     testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_ID"),
		ClientSecret: testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_SECRET"),
		GroupsClaim:  "groups",
	}
	p, err := newProvider(context.Background(), cfg, &http.Client{Timeout: 5 * time.Second}, now)
	if err != nil {
		t.Fatalf("discover the test provider: %v", err)
	}
	return p, cfg
}

// Pforte accepts only ID tokens the provider signed, for this client, unexpired.
func TestVerifyIDTokenRefusesForgedAndExpired(t *testing.T) {
	p, cfg := realProvider(t, time.Now)
	toks := testenv.OIDCLogin(t, cfg.Issuer, cfg.ClientID, cfg.ClientSecret, "http://127.0.0.1:1/auth/callback", "alice", "alice-pw")
	ctx := context.Background()

	genuine, err := p.VerifyIDToken(ctx, toks.IDToken, toks.Nonce)
	if err != nil {
		t.Fatalf("genuine ID token refused: %v", err)
	}
	if genuine.Subject == "" || genuine.SID == "" {
		t.Errorf("genuine token claims: sub %q sid %q", genuine.Subject, genuine.SID)
	}

	// Same claims, signed by a key the provider never published.
	var claims map[string]any
	tok, _ := jwt.ParseSigned(toks.IDToken, signingAlgs)
	_ = tok.UnsafeClaimsWithoutVerification(&claims)
	forged := sign(t, claims, tok.Headers[0].KeyID)

	later, _ := realProvider(t, func() time.Time { return time.Now().Add(3 * time.Hour) })
	cases := map[string]struct {
		p     *Provider
		raw   string
		nonce string
	}{
		"forged signature":  {p, forged, toks.Nonce},
		"expired":           {later, toks.IDToken, toks.Nonce},
		"wrong nonce":       {p, toks.IDToken, "another-sign-in"},
		"no nonce to check": {p, toks.IDToken, ""},
		"tampered payload":  {p, tamper(toks.IDToken), toks.Nonce},
		"empty":             {p, "", toks.Nonce},
		"alg none":          {p, unsigned(claims), toks.Nonce},
	}
	for name, c := range cases {
		if _, err := c.p.VerifyIDToken(ctx, c.raw, c.nonce); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}

	otherCfg := *cfg
	otherCfg.ClientID = "pforte-b"
	other, err := newProvider(ctx, &otherCfg, &http.Client{Timeout: 5 * time.Second}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.VerifyIDToken(ctx, toks.IDToken, toks.Nonce); !errors.Is(err, ErrInvalid) {
		t.Errorf("token for another client accepted: %v", err)
	}
}

func sign(t *testing.T, claims map[string]any, kid string) string {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// tamper changes one character of the payload, keeping the signature.
func tamper(raw string) string {
	parts := strings.Split(raw, ".")
	b := []byte(parts[1])
	if b[5] == 'A' {
		b[5] = 'B'
	} else {
		b[5] = 'A'
	}
	parts[1] = string(b)
	return strings.Join(parts, ".")
}

// unsigned builds an "alg: none" token, which must never be accepted.
func unsigned(claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}

// A provider that stops answering after Pforte first met it is noticed
// before a user is sent to it (they get Pforte's friendly error instead).
func TestReachableNoticesAProviderThatWentDown(t *testing.T) {
	clock := time.Now()
	p, cfg := realProvider(t, func() time.Time { return clock })
	ctx := context.Background()
	if err := p.Reachable(ctx); err != nil {
		t.Fatalf("provider just discovered: %v", err)
	}
	down := *cfg
	down.Issuer = fmt.Sprintf("http://127.0.0.1:%d", testenv.FreePort(t))
	p.cfg = &down // the same provider, now not answering
	if err := p.Reachable(ctx); err != nil {
		t.Errorf("within 30 s of the last answer a check costs nothing and passes: %v", err)
	}
	clock = clock.Add(31 * time.Second)
	if err := p.Reachable(ctx); !errors.Is(err, ErrProviderUnavailable) {
		t.Errorf("provider down: %v, want ErrProviderUnavailable", err)
	}
	p.cfg = cfg
	if err := p.Reachable(ctx); err != nil {
		t.Errorf("provider back: %v", err)
	}
}
