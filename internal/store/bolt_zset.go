package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"
)

// A sorted set is a nested bucket in "zset" named after its key with two
// buckets inside: "m" maps member to score, "s" holds one entry per member,
// sortKey(score)+member, so a cursor walks members in score order and, for
// equal scores, in bytewise member order (the order Redis uses).
var (
	zsetMembers = []byte("m")
	zsetIndex   = []byte("s")
)

// sortKey encodes a score as 8 bytes whose bytewise order is the numeric
// order: flip the sign bit of non-negative numbers, all bits of negative ones.
func sortKey(f float64) uint64 {
	if f == 0 {
		f = 0 // -0 and +0 are the same score
	}
	bits := math.Float64bits(f)
	if bits>>63 == 0 {
		return bits | 1<<63
	}
	return ^bits
}

func indexKey(score float64, member string) []byte {
	b := make([]byte, 8, 8+len(member))
	binary.BigEndian.PutUint64(b, sortKey(score))
	return append(b, member...)
}

// zsetBuckets returns the member and index buckets of the live sorted set at
// key, nils when absent.
func zsetBuckets(tx *bolt.Tx, key string, now int64) (members, index *bolt.Bucket, err error) {
	m, ok := liveMeta(tx, key, now)
	if !ok {
		return nil, nil, nil
	}
	if m.kind != kindZSet {
		return nil, nil, errWrongKind
	}
	z := tx.Bucket(bucketZSet).Bucket(dbKey(key))
	return z.Bucket(zsetMembers), z.Bucket(zsetIndex), nil
}

// ZAdd implements Store.
func (b *Bolt) ZAdd(ctx context.Context, key, member string, score float64) error {
	if math.IsNaN(score) {
		return fmt.Errorf("store: zadd: %w", errNaN)
	}
	return b.update("zadd", func(tx *bolt.Tx, now int64) error {
		old, exists, err := claim(tx, key, kindZSet, now)
		if err != nil {
			return err
		}
		z, err := tx.Bucket(bucketZSet).CreateBucketIfNotExists(dbKey(key))
		if err != nil {
			return err
		}
		members, err := z.CreateBucketIfNotExists(zsetMembers)
		if err != nil {
			return err
		}
		index, err := z.CreateBucketIfNotExists(zsetIndex)
		if err != nil {
			return err
		}
		if prev := members.Get(dbKey(member)); len(prev) == 8 {
			if err := index.Delete(indexKey(math.Float64frombits(binary.BigEndian.Uint64(prev)), member)); err != nil {
				return err
			}
		}
		v := binary.BigEndian.AppendUint64(nil, math.Float64bits(score))
		if err := members.Put(dbKey(member), v); err != nil {
			return err
		}
		if err := index.Put(indexKey(score, member), nil); err != nil {
			return err
		}
		if exists {
			return nil
		}
		return writeMeta(tx, key, old, meta{kind: kindZSet})
	})
}

// ZRem implements Store. Removing the last member removes the key.
func (b *Bolt) ZRem(ctx context.Context, key string, members ...string) error {
	if len(members) == 0 {
		return nil
	}
	return b.update("zrem", func(tx *bolt.Tx, now int64) error {
		ms, index, err := zsetBuckets(tx, key, now)
		if err != nil || ms == nil {
			return err
		}
		for _, member := range members {
			prev := ms.Get(dbKey(member))
			if len(prev) != 8 {
				continue
			}
			if err := index.Delete(indexKey(math.Float64frombits(binary.BigEndian.Uint64(prev)), member)); err != nil {
				return err
			}
			if err := ms.Delete(dbKey(member)); err != nil {
				return err
			}
		}
		if k, _ := ms.Cursor().First(); k == nil {
			m, _ := readMeta(tx, key)
			return removeKey(tx, key, m)
		}
		return nil
	})
}

// ZRangeByScore implements Store.
func (b *Bolt) ZRangeByScore(ctx context.Context, key string, min, max float64, offset, count int, reverse bool) ([]string, error) {
	if math.IsNaN(min) || math.IsNaN(max) {
		return nil, fmt.Errorf("store: zrangebyscore: %w", errNaN)
	}
	out := []string{}
	err := b.view("zrangebyscore", func(tx *bolt.Tx, now int64) error {
		_, index, err := zsetBuckets(tx, key, now)
		if err != nil || index == nil || min > max {
			return err
		}
		lo, hi := sortKey(min), sortKey(max)
		c := index.Cursor()
		var k []byte
		next := c.Next
		if reverse {
			next = c.Prev
			if hi == math.MaxUint64 {
				k, _ = c.Last()
			} else if k, _ = c.Seek(binary.BigEndian.AppendUint64(nil, hi+1)); k == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
		} else {
			k, _ = c.Seek(binary.BigEndian.AppendUint64(nil, lo))
		}
		skip := max0(offset)
		for ; k != nil; k, _ = next() {
			s := binary.BigEndian.Uint64(k[:8])
			if s < lo || s > hi {
				break
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, string(k[8:]))
			if count > 0 && len(out) == count {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ZScore implements Store.
func (b *Bolt) ZScore(ctx context.Context, key, member string) (float64, error) {
	var score float64
	err := b.view("zscore", func(tx *bolt.Tx, now int64) error {
		ms, _, err := zsetBuckets(tx, key, now)
		if err != nil {
			return err
		}
		if ms == nil {
			return ErrNotFound
		}
		v := ms.Get(dbKey(member))
		if len(v) != 8 {
			return ErrNotFound
		}
		score = math.Float64frombits(binary.BigEndian.Uint64(v))
		return nil
	})
	return score, err
}

// ZCard implements Store.
func (b *Bolt) ZCard(ctx context.Context, key string) (int64, error) {
	var n int64
	err := b.view("zcard", func(tx *bolt.Tx, now int64) error {
		ms, _, err := zsetBuckets(tx, key, now)
		if err != nil || ms == nil {
			return err
		}
		n = int64(ms.Stats().KeyN)
		return nil
	})
	return n, err
}
