package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Sealer encrypts data at rest (sessions with their tokens, app passwords)
// with AES-256-GCM under a key derived from secret_key for one purpose, so
// keys for different purposes never coincide.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer derives the key for purpose from the configured secret.
func NewSealer(secret, purpose string) (*Sealer, error) {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, "pforte "+purpose, 32)
	if err != nil {
		return nil, fmt.Errorf("auth: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("auth: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("auth: gcm: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain; aad binds the ciphertext to its context (e.g. the
// tenant), so a sealed value moved elsewhere does not open.
func (s *Sealer) Seal(plain, aad []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, aad)
}

// Open decrypts what Seal produced with the same aad.
func (s *Sealer) Open(sealed, aad []byte) ([]byte, error) { return s.open(nil, sealed, aad) }

// OpenInPlace is Open decrypting into sealed's own memory, which it
// overwrites: for a value just read from the store that nothing else
// holds, it saves a copy of the value per request.
func (s *Sealer) OpenInPlace(sealed, aad []byte) ([]byte, error) {
	return s.open(sealed[min(len(sealed), s.aead.NonceSize()):][:0], sealed, aad)
}

func (s *Sealer) open(dst, sealed, aad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errors.New("auth: sealed value too short")
	}
	plain, err := s.aead.Open(dst, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("auth: open sealed value: %w", err)
	}
	return plain, nil
}
