package store

import (
	"bytes"
	"context"

	bolt "go.etcd.io/bbolt"
)

// HScanPage is how many fields HScan reads per round trip (Redis) or per
// read transaction (bbolt): small enough that one page of a 100,000-user
// hash stays far below the Redis I/O timeout, large enough that the round
// trips do not dominate.
const HScanPage = 1000

// HScan implements Store with HSCAN. Redis may return a field twice when
// the hash is rehashed between pages, so fields already passed are skipped.
func (r *Redis) HScan(ctx context.Context, key string, fn func(field string, value []byte) error) error {
	seen := map[string]struct{}{}
	var cursor uint64
	for {
		pairs, next, err := r.client.HScan(ctx, key, cursor, "", HScanPage).Result()
		if err != nil {
			return redisErr(ctx, "hscan", err)
		}
		for i := 0; i+1 < len(pairs); i += 2 {
			if _, dup := seen[pairs[i]]; dup {
				continue
			}
			seen[pairs[i]] = struct{}{}
			if err := fn(pairs[i], []byte(pairs[i+1])); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// HScan implements Store in pages: each page is its own read transaction,
// so a long scan (or a slow fn) does not pin one transaction and with it the
// pages bbolt could otherwise reuse. fn runs outside any transaction and may
// write to the store.
func (b *Bolt) HScan(ctx context.Context, key string, fn func(field string, value []byte) error) error {
	var after []byte // the last field passed, as stored
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		type pair struct {
			field string
			value []byte
		}
		page := make([]pair, 0, HScanPage)
		err := b.view("hscan", func(tx *bolt.Tx, now int64) error {
			h, err := hashBucket(tx, key, now)
			if err != nil || h == nil {
				return err
			}
			c := h.Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(page) < HScanPage; k, v = c.Next() {
				page = append(page, pair{string(k[1:]), copyBytes(v)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range page {
			if err := fn(p.field, p.value); err != nil {
				return err
			}
		}
		if len(page) < HScanPage {
			return nil
		}
		after = dbKey(page[len(page)-1].field)
	}
}
