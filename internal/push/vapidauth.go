package push

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// A VAPID JWT may live at most 24 hours (RFC 8292 §2). Pforte signs one per
// push service origin for authValidity and signs a new one once less than
// authRefresh is left, so a message never carries a token about to expire.
const (
	authValidity = 12 * time.Hour
	authRefresh  = 1 * time.Hour
	// maxCachedOrigins bounds the cache; push services use a handful of origins.
	maxCachedOrigins = 1024
)

// jwtHeader is base64url({"typ":"JWT","alg":"ES256"}).
const jwtHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9"

type cachedAuth struct {
	header string
	exp    time.Time
}

// vapidAuth builds the "Authorization: vapid t=..., k=..." header and keeps
// one signed header per audience: signing costs far more than the rest of a
// push except the encryption.
type vapidAuth struct {
	keys    *VAPIDKeys
	subject string
	now     func() time.Time

	mu    sync.Mutex
	cache map[string]cachedAuth
	// signEach turns the cache off; only benchmarks set it, to measure
	// what the cache saves.
	signEach bool
}

func newVAPIDAuth(keys *VAPIDKeys, subject string, now func() time.Time) *vapidAuth {
	return &vapidAuth{keys: keys, subject: subject, now: now, cache: make(map[string]cachedAuth)}
}

// header returns a valid Authorization header for the push service origin
// aud ("https://host[:port]").
func (v *vapidAuth) header(aud string) (string, error) {
	now := v.now()
	v.mu.Lock()
	c, ok := v.cache[aud]
	v.mu.Unlock()
	if ok && c.exp.Sub(now) > authRefresh && !v.signEach {
		return c.header, nil
	}
	exp := now.Add(authValidity).Truncate(time.Second)
	h, err := v.sign(aud, exp)
	if err != nil {
		return "", err
	}
	v.mu.Lock()
	if len(v.cache) >= maxCachedOrigins {
		clear(v.cache)
	}
	v.cache[aud] = cachedAuth{header: h, exp: exp}
	v.mu.Unlock()
	return h, nil
}

// sign creates a new ES256 JWT (RFC 7515/7518) for aud valid until exp.
func (v *vapidAuth) sign(aud string, exp time.Time) (string, error) {
	claims, err := json.Marshal(struct {
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
		Sub string `json:"sub"`
	}{aud, exp.Unix(), v.subject})
	if err != nil {
		return "", fmt.Errorf("push: vapid claims: %w", err)
	}
	enc := base64.RawURLEncoding
	signing := jwtHeader + "." + enc.EncodeToString(claims)
	digest := sha256.Sum256([]byte(signing))
	r, s, err := ecdsa.Sign(rand.Reader, v.keys.priv, digest[:])
	if err != nil {
		return "", fmt.Errorf("push: vapid sign: %w", err)
	}
	var sig [64]byte
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return "vapid t=" + signing + "." + enc.EncodeToString(sig[:]) + ", k=" + v.keys.PublicKey(), nil
}
