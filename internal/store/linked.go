package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"
)

// A linked value names another key on its first line (up to '\n'), in the
// same namespace as itself. GetLinked reads such a value and the value of
// the key it names together: a signed-in session record and the user's
// dashboard snapshot in one round trip instead of two dependent ones.

// linkedGetter is implemented by the backends and the wrappers that pass
// their namespace on: ns is prepended to the link.
type linkedGetter interface {
	getLinked(ctx context.Context, guard, key, ns string) (value, linked []byte, err error)
}

// GetLinked returns the value of key and, when its first line names a key
// that exists, that key's value (else linked is nil) — but only while
// guard exists: ErrNotFound when guard or key is absent. On Redis (not
// Cluster, whose keys may live on different nodes) it is one round trip.
// Values read this way are returned as stored: Sealed does not open them.
func GetLinked(ctx context.Context, s Store, guard, key string) (value, linked []byte, err error) {
	if l, ok := s.(linkedGetter); ok {
		return l.getLinked(ctx, guard, key, "")
	}
	return getLinkedInSteps(ctx, s, guard, key, "")
}

// linkOf is the key a linked value names ("" when it names none).
func linkOf(value []byte) string {
	link, _, ok := bytes.Cut(value, []byte{'\n'})
	if !ok {
		return ""
	}
	return string(link)
}

// getLinkedInSteps is GetLinked as three reads (any Store; a Cluster).
func getLinkedInSteps(ctx context.Context, s Store, guard, key, ns string) ([]byte, []byte, error) {
	if _, err := s.Get(ctx, guard); err != nil {
		return nil, nil, err
	}
	value, err := s.Get(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	link := linkOf(value)
	if link == "" {
		return value, nil, nil
	}
	linked, err := s.Get(ctx, ns+link)
	if errors.Is(err, ErrNotFound) {
		return value, nil, nil
	}
	return value, linked, err
}

// linkedScript reads guard (KEYS[1]), the value (KEYS[2]) and the key its
// first line names (prefixed with ARGV[1]) atomically, in one round trip.
// The linked key is not declared in KEYS, which a Cluster refuses; a
// single server and Sentinel allow it.
var linkedScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local v = redis.call('GET', KEYS[2])
if not v then return false end
local nl = string.find(v, '\n', 1, true)
if not nl then return {v} end
local l = redis.call('GET', ARGV[1] .. string.sub(v, 1, nl - 1))
if not l then return {v} end
return {v, l}`)

func (r *Redis) getLinked(ctx context.Context, guard, key, ns string) ([]byte, []byte, error) {
	if _, ok := r.client.(*redis.ClusterClient); ok {
		return getLinkedInSteps(ctx, r, guard, key, ns)
	}
	return r.getLinkedBatched(ctx, guard, key, ns) // redis_batch.go
}

// linkedReply reads linkedScript's answer: false, {value} or {value, linked}.
func linkedReply(ctx context.Context, cmd *redis.Cmd) ([]byte, []byte, error) {
	res, err := cmd.Slice()
	if err != nil {
		return nil, nil, redisErr(ctx, "get linked", err)
	}
	var out [2][]byte
	for i := 0; i < len(res) && i < 2; i++ {
		s, ok := res[i].(string)
		if !ok {
			return nil, nil, fmt.Errorf("store: get linked: unexpected reply %T", res[i])
		}
		out[i] = []byte(s)
	}
	return out[0], out[1], nil
}

func (b *Bolt) getLinked(ctx context.Context, guard, key, ns string) (value, linked []byte, err error) {
	err = b.view("get linked", func(tx *bolt.Tx, now int64) error {
		get := func(k string) ([]byte, bool) {
			m, ok := liveMeta(tx, k, now)
			if !ok || m.kind != kindString {
				return nil, false
			}
			return copyBytes(tx.Bucket(bucketStr).Get(dbKey(k))), true
		}
		if _, ok := liveMeta(tx, guard, now); !ok {
			return ErrNotFound
		}
		var ok bool
		if value, ok = get(key); !ok {
			return ErrNotFound
		}
		if link := linkOf(value); link != "" {
			linked, _ = get(ns + link)
		}
		return nil
	})
	return value, linked, err
}

func (p *prefixed) getLinked(ctx context.Context, guard, key, ns string) ([]byte, []byte, error) {
	if l, ok := p.s.(linkedGetter); ok {
		return l.getLinked(ctx, p.k(guard), p.k(key), p.prefix+ns)
	}
	return getLinkedInSteps(ctx, p.s, p.k(guard), p.k(key), p.prefix+ns)
}

func (m *instrumented) getLinked(ctx context.Context, guard, key, ns string) ([]byte, []byte, error) {
	start := time.Now()
	var value, linked []byte
	var err error
	if l, ok := m.s.(linkedGetter); ok {
		value, linked, err = l.getLinked(ctx, guard, key, ns)
	} else {
		value, linked, err = getLinkedInSteps(ctx, m.s, guard, key, ns)
	}
	m.observe("get_linked", start, err)
	return value, linked, err
}
