package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// A queue on Redis is a stream with one consumer group (XADD, XREADGROUP,
// XACK, XAUTOCLAIM): the group's pending list is the set of leases, and an
// entry idle longer than the lease is claimed by the next consumer that
// asks. Items for later wait in a sorted set (due time → id) with their
// data in a hash until a lease call moves them into the stream. The three
// keys share a hash tag, so a script may touch them all on a Cluster.
const queueGroup = "workers"

func queueKeys(queue string) (stream, delayed, data string) {
	// The keys start with the queue's name (a tenant's keys all start with
	// its prefix); the hash tag after it is the same in all three.
	tag := queue + ":{" + queue + "}"
	return tag + ":s", tag + ":d", tag + ":v"
}

// promoteScript moves due delayed items into the stream atomically, so two
// instances never both move one.
var promoteScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, id in ipairs(due) do
  local v = redis.call('HGET', KEYS[3], id)
  if v then redis.call('XADD', KEYS[1], '*', 'v', v) end
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREM', KEYS[2], id)
end
return #due`)

// extendScript re-claims only entries the consumer still holds: one that
// another consumer took over stays with it.
var extendScript = redis.NewScript(`
for i = 2, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], 'workers', ARGV[i], ARGV[i], 1, ARGV[1])
  if #p > 0 then redis.call('XCLAIM', KEYS[1], 'workers', ARGV[1], 0, ARGV[i], 'JUSTID') end
end
return 0`)

// ensureGroup creates the stream and its group unless they exist.
func (r *Redis) ensureGroup(ctx context.Context, stream string) error {
	err := r.client.XGroupCreateMkStream(ctx, stream, queueGroup, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// QueueAdd implements Store.
func (r *Redis) QueueAdd(ctx context.Context, queue string, notBefore time.Time, items ...[]byte) error {
	if len(items) == 0 {
		return nil
	}
	stream, delayed, data := queueKeys(queue)
	if notBefore.After(time.Now()) {
		_, err := r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
			for _, it := range items {
				id := newQueueID()
				p.HSet(ctx, data, id, it)
				p.ZAdd(ctx, delayed, redis.Z{Score: float64(notBefore.UnixMilli()), Member: id})
			}
			return nil
		})
		return redisErr(ctx, "queue add", err)
	}
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, it := range items {
			p.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"v", it}})
		}
		return nil
	})
	return redisErr(ctx, "queue add", err)
}

// QueueLease implements Store.
func (r *Redis) QueueLease(ctx context.Context, queue, consumer string, lease time.Duration, n int) ([]QueueItem, error) {
	if n <= 0 {
		return nil, nil
	}
	stream, delayed, data := queueKeys(queue)
	if err := promoteScript.Run(ctx, r.client, []string{stream, delayed, data}, time.Now().UnixMilli(), 100).Err(); err != nil {
		return nil, redisErr(ctx, "queue lease", err)
	}
	out, err := r.lease(ctx, stream, consumer, lease, n)
	if err != nil && strings.Contains(err.Error(), "NOGROUP") {
		// First use, or Redis lost the stream: make the group and ask again.
		if err = r.ensureGroup(ctx, stream); err == nil {
			out, err = r.lease(ctx, stream, consumer, lease, n)
		}
	}
	return out, redisErr(ctx, "queue lease", err)
}

func (r *Redis) lease(ctx context.Context, stream, consumer string, lease time.Duration, n int) ([]QueueItem, error) {
	taken, _, err := r.client.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: stream, Group: queueGroup, Consumer: consumer, MinIdle: lease, Start: "0-0", Count: int64(n),
	}).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	out := make([]QueueItem, 0, n)
	for _, m := range taken {
		out = append(out, queueItem(m, true))
	}
	if len(out) >= n {
		return out, nil
	}
	res, err := r.client.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: queueGroup, Consumer: consumer, Streams: []string{stream, ">"}, Count: int64(n - len(out)), Block: -1,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, s := range res {
		for _, m := range s.Messages {
			out = append(out, queueItem(m, false))
		}
	}
	return out, nil
}

func queueItem(m redis.XMessage, retaken bool) QueueItem {
	v, _ := m.Values["v"].(string)
	return QueueItem{ID: m.ID, Data: []byte(v), Retaken: retaken}
}

// QueueExtend implements Store: claiming one's own entries again resets
// their idle time, which is what the lease is measured by.
func (r *Redis) QueueExtend(ctx context.Context, queue, consumer string, _ time.Duration, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	stream, _, _ := queueKeys(queue)
	args := make([]any, 0, len(ids)+1)
	args = append(args, consumer)
	for _, id := range ids {
		args = append(args, id)
	}
	err := extendScript.Run(ctx, r.client, []string{stream}, args...).Err()
	if errors.Is(err, redis.Nil) {
		err = nil
	}
	return redisErr(ctx, "queue extend", err)
}

// QueueAck implements Store; acknowledged entries are deleted from the
// stream so it does not grow without bound.
func (r *Redis) QueueAck(ctx context.Context, queue string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	stream, _, _ := queueKeys(queue)
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, stream, queueGroup, ids...)
		p.XDel(ctx, stream, ids...)
		return nil
	})
	return redisErr(ctx, "queue ack", err)
}

func newQueueID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
