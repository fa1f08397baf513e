package auth

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"time"
)

// The session record (Records) holds the user in a compact binary form
// instead of JSON: it is decoded on every request that misses the
// in-memory cache, and decoding JSON was a sixth of such a request's CPU.
// TestUserCodecKeepsEveryField fails when User or Tokens gain a field this
// codec does not carry.

const userCodecV1 = 1

var errUserCodec = errors.New("auth: malformed user record")

// encodeUser is the binary form of u.
func encodeUser(u *User) []byte {
	b := make([]byte, 0, 256+len(u.Tokens.Access)+len(u.Tokens.Refresh)+len(u.Tokens.ID))
	b = append(b, userCodecV1)
	for _, s := range []string{u.Tenant, u.Subject, u.SID, u.Username, u.Name, u.Email, u.CSRF,
		u.Tokens.Access, u.Tokens.Refresh, u.Tokens.ID} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(u.Groups)))
	for _, g := range u.Groups {
		b = appendString(b, g)
	}
	var flags byte
	if u.Admin {
		flags |= 1
	}
	if u.Demo {
		flags |= 2
	}
	b = append(b, flags)
	b = appendTime(b, u.Tokens.Expiry)
	b = appendTime(b, u.SignedInAt)
	b = binary.AppendUvarint(b, uint64(len(u.Claims)))
	for _, k := range slices.Sorted(maps.Keys(u.Claims)) {
		b = appendString(appendString(b, k), u.Claims[k])
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendTime writes a zero time as 0 and any other as 1 + Unix nanoseconds.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	return binary.AppendVarint(append(b, 1), t.UnixNano())
}

// userDecoder reads what encodeUser wrote; the first error sticks.
type userDecoder struct {
	b   []byte
	err error
}

func (d *userDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errUserCodec, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *userDecoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errUserCodec, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *userDecoder) byte() byte {
	if len(d.b) == 0 {
		d.err = errUserCodec
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *userDecoder) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errUserCodec, nil
		return time.Time{}
	}
	d.b = d.b[n:]
	return time.Unix(0, v).UTC()
}

// decodeUser reads what encodeUser wrote.
func decodeUser(b []byte) (*User, error) {
	d := &userDecoder{b: b}
	if d.byte() != userCodecV1 {
		return nil, errUserCodec
	}
	u := &User{}
	for _, p := range []*string{&u.Tenant, &u.Subject, &u.SID, &u.Username, &u.Name, &u.Email, &u.CSRF,
		&u.Tokens.Access, &u.Tokens.Refresh, &u.Tokens.ID} {
		*p = d.string()
	}
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) { // each group takes a byte at least
		u.Groups = make([]string, n)
		for i := range u.Groups {
			u.Groups[i] = d.string()
		}
	} else if n > 0 {
		return nil, errUserCodec
	}
	flags := d.byte()
	u.Admin, u.Demo = flags&1 != 0, flags&2 != 0
	u.Tokens.Expiry = d.time()
	u.SignedInAt = d.time()
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) { // each claim takes two bytes at least
		u.Claims = make(map[string]string, n)
		for range n {
			k := d.string()
			u.Claims[k] = d.string()
		}
	} else if n > 0 {
		return nil, errUserCodec
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errUserCodec
	}
	return u, nil
}
