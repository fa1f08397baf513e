package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Get implements Store.
func (b *Bolt) Get(ctx context.Context, key string) ([]byte, error) {
	var out []byte
	err := b.view("get", func(tx *bolt.Tx, now int64) error {
		m, ok := liveMeta(tx, key, now)
		if !ok {
			return ErrNotFound
		}
		if m.kind != kindString {
			return errWrongKind
		}
		out = copyBytes(tx.Bucket(bucketStr).Get(dbKey(key)))
		return nil
	})
	return out, err
}

// Set implements Store.
func (b *Bolt) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return b.update("set", func(tx *bolt.Tx, now int64) error {
		return b.putString(tx, key, value, ttl, now)
	})
}

// putString replaces key (of any kind, like Redis SET) with a string value.
func (b *Bolt) putString(tx *bolt.Tx, key string, value []byte, ttl time.Duration, now int64) error {
	old, ok := readMeta(tx, key)
	if ok && old.kind != kindString {
		if err := removeKey(tx, key, old); err != nil {
			return err
		}
		old = meta{}
	}
	if err := tx.Bucket(bucketStr).Put(dbKey(key), copyBytes(value)); err != nil {
		return err
	}
	return writeMeta(tx, key, old, meta{kind: kindString, exp: deadline(now, ttl)})
}

// SetNX implements Store. bbolt runs one write transaction at a time, so of
// many concurrent callers exactly one finds the key absent.
func (b *Bolt) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	won := false
	err := b.update("setnx", func(tx *bolt.Tx, now int64) error {
		won = false
		if _, ok := liveMeta(tx, key, now); ok {
			return nil
		}
		won = true
		return b.putString(tx, key, value, ttl, now)
	})
	return won && err == nil, err
}

// Delete implements Store.
func (b *Bolt) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	return b.update("delete", func(tx *bolt.Tx, _ int64) error {
		for _, key := range keys {
			if m, ok := readMeta(tx, key); ok {
				if err := removeKey(tx, key, m); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Incr implements Store. Like Redis, the counter is stored as decimal text.
func (b *Bolt) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	var n int64
	err := b.update("incr", func(tx *bolt.Tx, now int64) error {
		old, exists, err := claim(tx, key, kindString, now)
		if err != nil {
			return err
		}
		m := meta{kind: kindString, exp: deadline(now, ttl)}
		n = 1
		if exists {
			cur, err := strconv.ParseInt(string(tx.Bucket(bucketStr).Get(dbKey(key))), 10, 64)
			if err != nil {
				return errors.New("value is not an integer")
			}
			if cur == 1<<63-1 {
				return errors.New("increment would overflow")
			}
			n, m = cur+1, old
		}
		if err := tx.Bucket(bucketStr).Put(dbKey(key), strconv.AppendInt(nil, n, 10)); err != nil {
			return err
		}
		return writeMeta(tx, key, old, m)
	})
	return n, err
}

// Expire implements Store.
func (b *Bolt) Expire(ctx context.Context, key string, ttl time.Duration) error {
	return b.update("expire", func(tx *bolt.Tx, now int64) error {
		m, ok := readMeta(tx, key)
		if !ok {
			return ErrNotFound
		}
		if m.expired(now) {
			return ErrNotFound
		}
		return writeMeta(tx, key, m, meta{kind: m.kind, exp: deadline(now, ttl)})
	})
}
