package pushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Decrypt opens an aes128gcm Web Push body (RFC 8291, RFC 8188) with the
// receiver's private key and auth secret, as a browser does. It accepts a
// single record only, like every browser push service.
func Decrypt(body []byte, priv *ecdh.PrivateKey, auth []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("body shorter than the aes128gcm header")
	}
	salt := body[:16]
	rs := binary.BigEndian.Uint32(body[16:20])
	idLen := int(body[20])
	if idLen != 65 || len(body) < 21+idLen {
		return nil, fmt.Errorf("keyid must be the 65-byte sender key, is %d bytes", idLen)
	}
	asPub := body[21 : 21+idLen]
	record := body[21+idLen:]
	if rs < 18 {
		return nil, fmt.Errorf("record size %d too small", rs)
	}
	if len(record) > int(rs) {
		return nil, fmt.Errorf("more than one record (%d bytes, record size %d)", len(record), rs)
	}
	if len(record) < 17 {
		return nil, errors.New("record shorter than the GCM tag")
	}
	sender, err := ecdh.P256().NewPublicKey(asPub)
	if err != nil {
		return nil, fmt.Errorf("sender key: %w", err)
	}
	secret, err := priv.ECDH(sender)
	if err != nil {
		return nil, fmt.Errorf("ecdh: %w", err)
	}
	// RFC 8291 §3.3: the auth secret and both public keys go into the IKM.
	keyInfo := "WebPush: info\x00" + string(priv.PublicKey().Bytes()) + string(asPub)
	prkKey, err := hkdf.Extract(sha256.New, secret, auth)
	if err != nil {
		return nil, err
	}
	ikm, err := hkdf.Expand(sha256.New, prkKey, keyInfo, 32)
	if err != nil {
		return nil, err
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, errors.New("decryption failed: wrong key, auth secret or corrupted body")
	}
	// Strip the padding: zeros after a 0x02 delimiter (last record).
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 || plain[i] != 2 {
		return nil, errors.New("padding delimiter of the last record missing")
	}
	return plain[:i], nil
}
