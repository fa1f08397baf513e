// Package push sends Web Push messages: VAPID keys (RFC 8292), subscription
// validation, message encryption (RFC 8291, aes128gcm) and delivery with
// retries (RFC 8030). It holds no storage: callers pass subscriptions in and
// get results back through callbacks.
package push

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// VAPIDKeys is the application server's P-256 key pair that identifies
// Pforte to push services. Build it once at start and share it.
type VAPIDKeys struct {
	priv *ecdsa.PrivateKey
	pub  []byte // uncompressed point, 65 bytes
}

// GenerateVAPIDKeys creates a new key pair. Store PrivateKey() in the
// configuration: every subscription is bound to its public key.
func GenerateVAPIDKeys() (*VAPIDKeys, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("push: generate vapid keys: %w", err)
	}
	return newVAPIDKeys(priv)
}

// ParseVAPIDKeys decodes a key pair in the forms webpush-go and the web-push
// npm tool print: base64url (padded or not) of the 32-byte private scalar and
// of the 65-byte uncompressed public point. publicKey may be empty; it is then
// derived from the private key. A public key that does not belong to the
// private key is an error, so a config mix-up is found at start.
func ParseVAPIDKeys(privateKey, publicKey string) (*VAPIDKeys, error) {
	raw, err := decodeBase64(strings.TrimSpace(privateKey))
	if err != nil || len(raw) != 32 {
		return nil, errors.New("push: vapid private key: must be 32 bytes, base64url")
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		return nil, fmt.Errorf("push: vapid private key: %w", err)
	}
	k, err := newVAPIDKeys(priv)
	if err != nil {
		return nil, err
	}
	if publicKey = strings.TrimSpace(publicKey); publicKey != "" {
		pub, err := decodeBase64(publicKey)
		if err != nil || string(pub) != string(k.pub) {
			return nil, errors.New("push: vapid public key: does not match the private key")
		}
	}
	return k, nil
}

func newVAPIDKeys(priv *ecdsa.PrivateKey) (*VAPIDKeys, error) {
	e, err := priv.PublicKey.ECDH()
	if err != nil {
		return nil, fmt.Errorf("push: vapid public key: %w", err)
	}
	return &VAPIDKeys{priv: priv, pub: e.Bytes()}, nil
}

// PublicKey returns the public key as unpadded base64url, the form the page
// passes to PushManager.subscribe as applicationServerKey.
func (k *VAPIDKeys) PublicKey() string {
	return base64.RawURLEncoding.EncodeToString(k.pub)
}

// PrivateKey returns the private scalar as unpadded base64url, for storing
// in the configuration. Never log it.
func (k *VAPIDKeys) PrivateKey() string {
	raw, err := k.priv.Bytes()
	if err != nil { // cannot happen for a P-256 key built by this package
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

// String hides the key material when a VAPIDKeys ends up in a log line.
func (k *VAPIDKeys) String() string { return "push.VAPIDKeys{public: " + k.PublicKey() + "}" }

// decodeBase64 accepts the base64 variants seen in the wild for keys:
// base64url with or without padding (browsers, webpush-go) and standard
// base64 (some older libraries).
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// parseP256Point decodes a base64 uncompressed P-256 public key and checks
// that it lies on the curve.
func parseP256Point(s string) (*ecdh.PublicKey, error) {
	raw, err := decodeBase64(s)
	if err != nil {
		return nil, errors.New("must be base64url")
	}
	if len(raw) != 65 || raw[0] != 4 {
		return nil, errors.New("must be an uncompressed P-256 point (65 bytes starting with 0x04)")
	}
	pub, err := ecdh.P256().NewPublicKey(raw)
	if err != nil {
		return nil, errors.New("must be a point on the P-256 curve")
	}
	return pub, nil
}
