package store

import (
	"context"

	bolt "go.etcd.io/bbolt"
)

// A hash is a nested bucket in "hash" named after its key, holding one entry
// per field.

// hashBucket returns the live hash at key, nil when absent.
func hashBucket(tx *bolt.Tx, key string, now int64) (*bolt.Bucket, error) {
	m, ok := liveMeta(tx, key, now)
	if !ok {
		return nil, nil
	}
	if m.kind != kindHash {
		return nil, errWrongKind
	}
	return tx.Bucket(bucketHash).Bucket(dbKey(key)), nil
}

// HSet implements Store.
func (b *Bolt) HSet(ctx context.Context, key, field string, value []byte) error {
	return b.update("hset", func(tx *bolt.Tx, now int64) error {
		old, exists, err := claim(tx, key, kindHash, now)
		if err != nil {
			return err
		}
		h, err := tx.Bucket(bucketHash).CreateBucketIfNotExists(dbKey(key))
		if err != nil {
			return err
		}
		if err := h.Put(dbKey(field), copyBytes(value)); err != nil {
			return err
		}
		if exists {
			return nil
		}
		return writeMeta(tx, key, old, meta{kind: kindHash})
	})
}

// HGet implements Store.
func (b *Bolt) HGet(ctx context.Context, key, field string) ([]byte, error) {
	var out []byte
	err := b.view("hget", func(tx *bolt.Tx, now int64) error {
		h, err := hashBucket(tx, key, now)
		if err != nil {
			return err
		}
		if h == nil {
			return ErrNotFound
		}
		v := h.Get(dbKey(field))
		if v == nil {
			return ErrNotFound
		}
		out = copyBytes(v)
		return nil
	})
	return out, err
}

// HGetAll implements Store.
func (b *Bolt) HGetAll(ctx context.Context, key string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := b.view("hgetall", func(tx *bolt.Tx, now int64) error {
		h, err := hashBucket(tx, key, now)
		if err != nil || h == nil {
			return err
		}
		return h.ForEach(func(k, v []byte) error {
			out[string(k[1:])] = copyBytes(v)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HGetAllMany implements Store in one read transaction.
func (b *Bolt) HGetAllMany(ctx context.Context, keys ...string) ([]map[string][]byte, error) {
	out := make([]map[string][]byte, len(keys))
	err := b.view("hgetallmany", func(tx *bolt.Tx, now int64) error {
		for i, key := range keys {
			out[i] = map[string][]byte{}
			h, err := hashBucket(tx, key, now)
			if err != nil {
				return err
			}
			if h == nil {
				continue
			}
			m := out[i]
			if err := h.ForEach(func(k, v []byte) error {
				m[string(k[1:])] = copyBytes(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HDel implements Store. Removing the last field removes the key, as in Redis.
func (b *Bolt) HDel(ctx context.Context, key string, fields ...string) error {
	if len(fields) == 0 {
		return nil
	}
	return b.update("hdel", func(tx *bolt.Tx, now int64) error {
		h, err := hashBucket(tx, key, now)
		if err != nil || h == nil {
			return err
		}
		for _, f := range fields {
			if err := h.Delete(dbKey(f)); err != nil {
				return err
			}
		}
		if k, _ := h.Cursor().First(); k == nil {
			m, _ := readMeta(tx, key)
			return removeKey(tx, key, m)
		}
		return nil
	})
}

// HLen implements Store.
func (b *Bolt) HLen(ctx context.Context, key string) (int64, error) {
	var n int64
	err := b.view("hlen", func(tx *bolt.Tx, now int64) error {
		h, err := hashBucket(tx, key, now)
		if err != nil || h == nil {
			return err
		}
		n = int64(h.Stats().KeyN)
		return nil
	})
	return n, err
}
