package store

import (
	"context"
	"strings"
	"time"
)

// prefixed namespaces a Store: every key and every pub/sub channel gets the
// prefix. Tenant isolation relies on it, so no method may pass a key through
// unprefixed.
type prefixed struct {
	s      Store
	prefix string
}

// Prefixed returns a view of s in which every key and pub/sub channel starts
// with prefix. Its Close does nothing: the owner of s closes s.
func Prefixed(s Store, prefix string) Store {
	return &prefixed{s: s, prefix: prefix}
}

// ForTenant returns the view of s that belongs to one tenant:
// Prefixed(s, "t:"+tenantID+":"). A ':' or '%' in tenantID is escaped, so one
// tenant's prefix can never be the start of another's ("a" and "a:b").
func ForTenant(s Store, tenantID string) Store {
	id := tenantID
	if strings.ContainsAny(id, "%:") { // never for valid config ids: no work per request
		id = strings.NewReplacer("%", "%25", ":", "%3A").Replace(id)
	}
	return Prefixed(s, "t:"+id+":")
}

func (p *prefixed) k(key string) string { return p.prefix + key }

func (p *prefixed) ks(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p.prefix + k
	}
	return out
}

func (p *prefixed) Get(ctx context.Context, key string) ([]byte, error) {
	return p.s.Get(ctx, p.k(key))
}

func (p *prefixed) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return p.s.Set(ctx, p.k(key), value, ttl)
}

func (p *prefixed) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	return p.s.SetNX(ctx, p.k(key), value, ttl)
}

func (p *prefixed) Delete(ctx context.Context, keys ...string) error {
	return p.s.Delete(ctx, p.ks(keys)...)
}

func (p *prefixed) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	return p.s.Incr(ctx, p.k(key), ttl)
}

func (p *prefixed) Expire(ctx context.Context, key string, ttl time.Duration) error {
	return p.s.Expire(ctx, p.k(key), ttl)
}

func (p *prefixed) HSet(ctx context.Context, key, field string, value []byte) error {
	return p.s.HSet(ctx, p.k(key), field, value)
}

func (p *prefixed) HGet(ctx context.Context, key, field string) ([]byte, error) {
	return p.s.HGet(ctx, p.k(key), field)
}

func (p *prefixed) HGetAll(ctx context.Context, key string) (map[string][]byte, error) {
	return p.s.HGetAll(ctx, p.k(key))
}

func (p *prefixed) HGetAllMany(ctx context.Context, keys ...string) ([]map[string][]byte, error) {
	return p.s.HGetAllMany(ctx, p.ks(keys)...)
}

func (p *prefixed) HScan(ctx context.Context, key string, fn func(string, []byte) error) error {
	return p.s.HScan(ctx, p.k(key), fn)
}

func (p *prefixed) HDel(ctx context.Context, key string, fields ...string) error {
	return p.s.HDel(ctx, p.k(key), fields...)
}

func (p *prefixed) HLen(ctx context.Context, key string) (int64, error) {
	return p.s.HLen(ctx, p.k(key))
}

func (p *prefixed) ZAdd(ctx context.Context, key, member string, score float64) error {
	return p.s.ZAdd(ctx, p.k(key), member, score)
}

func (p *prefixed) ZRem(ctx context.Context, key string, members ...string) error {
	return p.s.ZRem(ctx, p.k(key), members...)
}

func (p *prefixed) ZRangeByScore(ctx context.Context, key string, min, max float64, offset, count int, reverse bool) ([]string, error) {
	return p.s.ZRangeByScore(ctx, p.k(key), min, max, offset, count, reverse)
}

func (p *prefixed) ZScore(ctx context.Context, key, member string) (float64, error) {
	return p.s.ZScore(ctx, p.k(key), member)
}

func (p *prefixed) ZCard(ctx context.Context, key string) (int64, error) {
	return p.s.ZCard(ctx, p.k(key))
}

func (p *prefixed) Keys(ctx context.Context, prefix string) ([]string, error) {
	keys, err := p.s.Keys(ctx, p.k(prefix))
	for i, k := range keys {
		keys[i] = strings.TrimPrefix(k, p.prefix)
	}
	return keys, err
}

func (p *prefixed) Publish(ctx context.Context, channel string, msg []byte) error {
	return p.s.Publish(ctx, p.k(channel), msg)
}

func (p *prefixed) Subscribe(ctx context.Context, channel string) (<-chan []byte, func(), error) {
	return p.s.Subscribe(ctx, p.k(channel))
}

func (p *prefixed) QueueAdd(ctx context.Context, queue string, notBefore time.Time, items ...[]byte) error {
	return p.s.QueueAdd(ctx, p.k(queue), notBefore, items...)
}

func (p *prefixed) QueueLease(ctx context.Context, queue, consumer string, lease time.Duration, n int) ([]QueueItem, error) {
	return p.s.QueueLease(ctx, p.k(queue), consumer, lease, n)
}

func (p *prefixed) QueueExtend(ctx context.Context, queue, consumer string, lease time.Duration, ids ...string) error {
	return p.s.QueueExtend(ctx, p.k(queue), consumer, lease, ids...)
}

func (p *prefixed) QueueAck(ctx context.Context, queue string, ids ...string) error {
	return p.s.QueueAck(ctx, p.k(queue), ids...)
}

func (p *prefixed) Ping(ctx context.Context) error { return p.s.Ping(ctx) }

// Close does nothing: a prefixed view does not own the store beneath it.
func (p *prefixed) Close() error { return nil }
