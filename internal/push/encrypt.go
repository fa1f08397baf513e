package push

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Sizes from RFC 8291 / RFC 8188 for a single aes128gcm record.
const (
	// maxBody is the largest body every push service must accept (RFC 8291 §4).
	maxBody = 4096
	// headerLen is salt(16) + rs(4) + idlen(1) + keyid(65 bytes: as_public).
	headerLen = 16 + 4 + 1 + 65
	tagLen    = 16
	// MaxPayload is the largest payload Send accepts: 4096 bytes less the
	// header, the GCM tag and the padding delimiter.
	MaxPayload = maxBody - headerLen - tagLen - 1
)

// ErrPayloadTooLarge is returned for payloads above MaxPayload.
var ErrPayloadTooLarge = errors.New("push: payload larger than 3993 bytes")

// encrypt seals payload for one receiver as a single aes128gcm record
// (RFC 8291 §3.4). rnd supplies the salt and the one-time application server
// key pair. padBlock > 0 rounds the plaintext up to a multiple of padBlock
// bytes so the body length does not reveal the exact payload length; 0 adds
// no padding.
func encrypt(rnd io.Reader, payload []byte, ua *ecdh.PublicKey, auth []byte, padBlock int) ([]byte, error) {
	if len(payload) > MaxPayload {
		return nil, ErrPayloadTooLarge
	}
	as, err := ecdh.P256().GenerateKey(rnd)
	if err != nil {
		return nil, fmt.Errorf("push: encrypt: %w", err)
	}
	secret, err := as.ECDH(ua)
	if err != nil {
		return nil, fmt.Errorf("push: encrypt: %w", err)
	}
	plainLen := len(payload) + 1
	if padBlock > 0 {
		plainLen = (plainLen + padBlock - 1) / padBlock * padBlock
		plainLen = min(plainLen, MaxPayload+1)
	}
	body := make([]byte, headerLen, headerLen+plainLen+tagLen)
	salt := body[:16]
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return nil, fmt.Errorf("push: encrypt: salt: %w", err)
	}
	binary.BigEndian.PutUint32(body[16:20], maxBody)
	body[20] = 65
	copy(body[21:], as.PublicKey().Bytes())

	cek, nonce, err := deriveKeys(secret, auth, ua.Bytes(), body[21:headerLen], salt)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, fmt.Errorf("push: encrypt: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("push: encrypt: %w", err)
	}
	plain := body[headerLen : headerLen+plainLen]
	copy(plain, payload)
	plain[len(payload)] = 2 // delimiter of the last (only) record; zeros follow
	clear(plain[len(payload)+1:])
	return gcm.Seal(body[:headerLen], nonce, plain, nil), nil
}

// deriveKeys computes the content encryption key and nonce (RFC 8291 §3.3,
// §3.4 and RFC 8188 §2.2).
func deriveKeys(ecdhSecret, auth, uaPublic, asPublic, salt []byte) (cek, nonce []byte, err error) {
	info := make([]byte, 0, 14+65+65)
	info = append(info, "WebPush: info\x00"...)
	info = append(info, uaPublic...)
	info = append(info, asPublic...)
	ikm, err := hkdf.Key(sha256.New, ecdhSecret, auth, string(info), 32)
	if err != nil {
		return nil, nil, fmt.Errorf("push: encrypt: ikm: %w", err)
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, nil, fmt.Errorf("push: encrypt: prk: %w", err)
	}
	if cek, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16); err != nil {
		return nil, nil, fmt.Errorf("push: encrypt: cek: %w", err)
	}
	if nonce, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12); err != nil {
		return nil, nil, fmt.Errorf("push: encrypt: nonce: %w", err)
	}
	return cek, nonce, nil
}
