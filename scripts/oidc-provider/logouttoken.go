package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// backChannelLogoutEvent is the event member of a logout token
// (OpenID Connect Back-Channel Logout 1.0, section 2.4).
const backChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// signingKeySource gives the key the provider signs its ID tokens with (the
// one published in its JWKS).
type signingKeySource interface {
	SigningKey(ctx context.Context) (op.SigningKey, error)
}

// logoutTokenHandler serves POST /test/logout-token: a test-only endpoint
// that answers with a logout token as the provider would send it to a
// client's backchannel_logout_uri. Form fields: aud (required), sub and/or
// sid (at least one), and to build invalid tokens for negative tests: iss,
// events (a JSON object), nonce, expires_in (seconds, may be negative).
func logoutTokenHandler(issuer string, keys signingKeySource) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !fromLoopback(r) {
			http.Error(w, "test endpoint: loopback only", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		claims, err := logoutClaims(r, issuer, time.Now())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		token, err := signLogoutToken(r.Context(), keys, claims)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/jwt")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(token))
	}
}

// logoutClaims builds the claims of a logout token from the request form.
func logoutClaims(r *http.Request, issuer string, now time.Time) (map[string]any, error) {
	if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("parse form: %w", err)
	}
	aud, sub, sid := r.PostForm.Get("aud"), r.PostForm.Get("sub"), r.PostForm.Get("sid")
	if aud == "" {
		return nil, fmt.Errorf("aud is required")
	}
	if sub == "" && sid == "" {
		return nil, fmt.Errorf("sub or sid is required")
	}
	lifetime := 2 * time.Minute
	if v := r.PostForm.Get("expires_in"); v != "" {
		secs, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("expires_in: %w", err)
		}
		lifetime = time.Duration(secs) * time.Second
	}
	issued := now
	if v := r.PostForm.Get("iat_offset"); v != "" {
		secs, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("iat_offset: %w", err)
		}
		issued = now.Add(time.Duration(secs) * time.Second)
	}
	claims := map[string]any{
		"iss":    issuer,
		"aud":    aud,
		"iat":    issued.Unix(),
		"exp":    now.Add(lifetime).Unix(),
		"jti":    rand.Text(),
		"events": map[string]any{backChannelLogoutEvent: map[string]any{}},
	}
	if sub != "" {
		claims["sub"] = sub
	}
	if sid != "" {
		claims["sid"] = sid
	}
	if v := r.PostForm.Get("iss"); v != "" {
		claims["iss"] = v
	}
	if v := r.PostForm.Get("events"); v != "" {
		var events map[string]any
		if err := json.Unmarshal([]byte(v), &events); err != nil {
			return nil, fmt.Errorf("events must be a JSON object: %w", err)
		}
		claims["events"] = events
	}
	if v := r.PostForm.Get("nonce"); v != "" {
		claims["nonce"] = v
	}
	return claims, nil
}

// signLogoutToken signs the claims with the provider's signing key, typed
// logout+jwt as the specification recommends.
func signLogoutToken(ctx context.Context, keys signingKeySource, claims map[string]any) (string, error) {
	key, err := keys.SigningKey(ctx)
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: key.SignatureAlgorithm(), Key: &jose.JSONWebKey{Key: key.Key(), KeyID: key.ID()}},
		(&jose.SignerOptions{}).WithType("logout+jwt"),
	)
	if err != nil {
		return "", fmt.Errorf("signer: %w", err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	token, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("serialize: %w", err)
	}
	return token, nil
}

// fromLoopback reports whether the request comes from this machine.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
