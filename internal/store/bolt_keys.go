package store

import (
	"encoding/binary"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Kinds of keys, stored as the first byte of a key's meta record.
const (
	kindString byte = 's'
	kindHash   byte = 'h'
	kindZSet   byte = 'z'
)

var errWrongKind = errors.New("key holds a different kind of value")

// meta is what the "keys" bucket records about a key: its kind and its
// expiry in Unix nanoseconds (0: never).
type meta struct {
	kind byte
	exp  int64
}

func (m meta) expired(now int64) bool { return m.exp != 0 && m.exp <= now }

// dbKey turns a key, field or member into a bbolt key. The leading byte lets
// the empty string be a valid name (bbolt refuses empty keys).
func dbKey(s string) []byte {
	b := make([]byte, 0, len(s)+1)
	return append(append(b, ':'), s...)
}

func readMeta(tx *bolt.Tx, key string) (meta, bool) {
	v := tx.Bucket(bucketKeys).Get(dbKey(key))
	if len(v) != 9 {
		return meta{}, false
	}
	return meta{kind: v[0], exp: int64(binary.BigEndian.Uint64(v[1:]))}, true // #nosec G115 -- round-trips the int64 written by writeMeta
}

// liveMeta returns the meta of key if it exists and has not expired.
func liveMeta(tx *bolt.Tx, key string, now int64) (meta, bool) {
	m, ok := readMeta(tx, key)
	if !ok || m.expired(now) {
		return meta{}, false
	}
	return m, true
}

// claim prepares key for a write of the given kind: an expired key is
// removed first, a live key of another kind is an error. It reports whether
// a live key of that kind already exists.
func claim(tx *bolt.Tx, key string, kind byte, now int64) (meta, bool, error) {
	m, ok := readMeta(tx, key)
	if !ok {
		return meta{}, false, nil
	}
	if m.expired(now) {
		return meta{}, false, removeKey(tx, key, m)
	}
	if m.kind != kind {
		return meta{}, false, errWrongKind
	}
	return m, true, nil
}

// writeMeta records key's kind and expiry and keeps the expiry index in step
// with it; old is the previous meta (zero when the key is new).
func writeMeta(tx *bolt.Tx, key string, old, m meta) error {
	exp := tx.Bucket(bucketExp)
	if old.exp != 0 && old.exp != m.exp {
		if err := exp.Delete(expKey(old.exp, key)); err != nil {
			return err
		}
	}
	if m.exp != 0 {
		if err := exp.Put(expKey(m.exp, key), nil); err != nil {
			return err
		}
	}
	v := make([]byte, 9)
	v[0] = m.kind
	binary.BigEndian.PutUint64(v[1:], uint64(m.exp)) // #nosec G115 -- expiries are Unix times, read back by readMeta
	return tx.Bucket(bucketKeys).Put(dbKey(key), v)
}

// removeKey deletes key and its data whatever its kind.
func removeKey(tx *bolt.Tx, key string, m meta) error {
	k := dbKey(key)
	var err error
	switch m.kind {
	case kindString:
		err = tx.Bucket(bucketStr).Delete(k)
	case kindHash:
		err = deleteBucketIfExists(tx.Bucket(bucketHash), k)
	case kindZSet:
		err = deleteBucketIfExists(tx.Bucket(bucketZSet), k)
	}
	if err != nil {
		return err
	}
	if m.exp != 0 {
		if err := tx.Bucket(bucketExp).Delete(expKey(m.exp, key)); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketKeys).Delete(k)
}

func deleteBucketIfExists(parent *bolt.Bucket, name []byte) error {
	if parent.Bucket(name) == nil {
		return nil
	}
	return parent.DeleteBucket(name)
}

// expKey is the expiry index entry: the big-endian expiry, so entries sort by
// time, followed by the key.
func expKey(exp int64, key string) []byte {
	b := make([]byte, 8, 8+len(key))
	binary.BigEndian.PutUint64(b, uint64(exp)) // #nosec G115 -- expiries are positive Unix times
	return append(b, key...)
}

func expAt(idx []byte) int64 { return int64(binary.BigEndian.Uint64(idx[:8])) } // #nosec G115 -- round-trips expKey

// deadline turns a ttl into an expiry timestamp (0: never).
func deadline(now int64, ttl time.Duration) int64 {
	if ttl <= 0 {
		return 0
	}
	return now + int64(ttl)
}

func copyBytes(b []byte) []byte { return append(make([]byte, 0, len(b)), b...) }
