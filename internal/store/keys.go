package store

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"
)

// globEscaper escapes the characters SCAN MATCH treats as a pattern, so a
// prefix is matched literally.
var globEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`)

// Keys implements Store. On a Cluster every primary is scanned.
func (r *Redis) Keys(ctx context.Context, prefix string) ([]string, error) {
	match := globEscaper.Replace(prefix) + "*"
	var out []string
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, match, 1000).Iterator()
		var found []string
		for it.Next(ctx) {
			found = append(found, it.Val())
		}
		if err := it.Err(); err != nil {
			return err
		}
		out = append(out, found...)
		return nil
	}
	var err error
	if cc, ok := r.client.(*redis.ClusterClient); ok {
		var mu sync.Mutex // ForEachMaster calls concurrently; out is shared
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			return scan(ctx, c)
		})
	} else {
		err = scan(ctx, r.client)
	}
	if err != nil {
		return nil, redisErr(ctx, "keys", err)
	}
	// SCAN may return a key twice (when the table is resized meanwhile).
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Keys implements Store.
func (b *Bolt) Keys(ctx context.Context, prefix string) ([]string, error) {
	out := []string{}
	err := b.view("keys", func(tx *bolt.Tx, now int64) error {
		c := tx.Bucket(bucketKeys).Cursor()
		p := dbKey(prefix)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			if m, ok := liveMeta(tx, string(k[1:]), now); ok && m.kind != 0 {
				out = append(out, string(k[1:]))
			}
			if err := ctx.Err(); err != nil {
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
