package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// MaskCSRF returns token under a fresh random mask, as Django and Rails
// do: base64url(mask ‖ mask⊕token). Every response carries different bytes
// for the same token, so a compressed page whose other text an attacker
// chooses (mail subjects) leaks nothing about it through its length
// (BREACH).
func MaskCSRF(token string) string {
	if token == "" {
		return ""
	}
	out := make([]byte, 2*len(token))
	mask, masked := out[:len(token)], out[len(token):]
	if _, err := rand.Read(mask); err != nil {
		panic("auth: no randomness for the CSRF mask: " + err.Error()) // crypto/rand never fails on supported systems
	}
	for i := range token {
		masked[i] = mask[i] ^ token[i]
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// CSRFMatches reports whether sent is want, masked (MaskCSRF) or as is
// (pages and scripts from before masking; the raw token never reaches a
// compressed body). The comparison takes constant time.
func CSRFMatches(sent, want string) bool {
	if sent == "" || want == "" {
		return false
	}
	if raw, err := base64.RawURLEncoding.Strict().DecodeString(sent); err == nil && len(raw) == 2*len(want) {
		mask, masked := raw[:len(want)], raw[len(want):]
		token := make([]byte, len(want))
		for i := range token {
			token[i] = mask[i] ^ masked[i]
		}
		return subtle.ConstantTimeCompare(token, []byte(want)) == 1
	}
	return subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}
