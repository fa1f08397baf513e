package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store on a Redis server, Sentinel group or Cluster.
type Redis struct {
	client redis.UniversalClient
	logger *slog.Logger

	mu     sync.Mutex
	closed bool
	subs   map[chan struct{}]func() // live subscriptions, ended by Close
	wg     sync.WaitGroup           // one per live subscription goroutine
	batch  linkedBatcher            // GetLinked calls in shared round trips
}

// NewRedis returns a Store on the Redis that opts describe (see
// ParseRedisURL). It does not connect yet; the client dials on demand and
// reconnects by itself after Redis restarts.
func NewRedis(opts *redis.UniversalOptions, logger *slog.Logger) *Redis {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Redis{client: redis.NewUniversalClient(opts), logger: logger}
}

// Client returns the underlying go-redis client, for the rare caller that
// needs a command the Store interface does not offer.
func (r *Redis) Client() redis.UniversalClient { return r.client }

// redisErr wraps err from go-redis: redis.Nil becomes ErrNotFound, a failure
// to reach Redis becomes ErrUnavailable, and a reply error stays as it is.
func redisErr(ctx context.Context, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.Nil):
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	case ctx.Err() != nil:
		// The caller gave up; that says nothing about Redis.
		return fmt.Errorf("store: %s: %w", op, err)
	}
	var replyErr redis.Error
	if errors.As(err, &replyErr) && !unavailableReply(replyErr.Error()) {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return fmt.Errorf("store: %s: %w: %w", op, ErrUnavailable, err)
}

// unavailableReply reports reply errors that mean "Redis cannot serve right
// now" rather than "the command was wrong".
func unavailableReply(msg string) bool {
	for _, p := range []string{"LOADING", "CLUSTERDOWN", "MASTERDOWN", "TRYAGAIN", "READONLY", "BUSY"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// Get implements Store.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := r.client.Get(ctx, key).Bytes()
	if err != nil {
		return nil, redisErr(ctx, "get", err)
	}
	return v, nil
}

// Set implements Store.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return redisErr(ctx, "set", r.client.Set(ctx, key, value, positive(ttl)).Err())
}

// SetNX implements Store.
func (r *Redis) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	ok, err := r.client.SetNX(ctx, key, value, positive(ttl)).Result()
	return ok, redisErr(ctx, "setnx", err)
}

// Delete implements Store. On a Cluster the keys may live on different
// nodes, so they are deleted one by one in a pipeline.
func (r *Redis) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	if _, ok := r.client.(*redis.ClusterClient); !ok || len(keys) == 1 {
		return redisErr(ctx, "delete", r.client.Del(ctx, keys...).Err())
	}
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Del(ctx, k)
		}
		return nil
	})
	return redisErr(ctx, "delete", err)
}

// incrScript increments and sets the expiry in one step, so a crash between
// the two cannot leave a rate-limit counter that never expires.
var incrScript = redis.NewScript(`
local v = redis.call('INCR', KEYS[1])
if v == 1 and tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return v`)

// Incr implements Store.
func (r *Redis) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	ms := positive(ttl).Milliseconds()
	if ttl > 0 && ms == 0 {
		ms = 1
	}
	n, err := incrScript.Run(ctx, r.client, []string{key}, ms).Int64()
	return n, redisErr(ctx, "incr", err)
}

// Expire implements Store.
func (r *Redis) Expire(ctx context.Context, key string, ttl time.Duration) error {
	var ok bool
	var err error
	if ttl <= 0 {
		// PERSIST answers false both for "absent" and "had no expiry".
		var n int64
		if n, err = r.client.Exists(ctx, key).Result(); err == nil && n == 1 {
			ok = true
			err = r.client.Persist(ctx, key).Err()
		}
	} else {
		ok, err = r.client.PExpire(ctx, key, ttl).Result()
	}
	if err != nil {
		return redisErr(ctx, "expire", err)
	}
	if !ok {
		return fmt.Errorf("store: expire: %w", ErrNotFound)
	}
	return nil
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error {
	return redisErr(ctx, "ping", r.client.Ping(ctx).Err())
}

// Close implements Store.
func (r *Redis) Close() error {
	r.closeSubscriptions()
	if err := r.client.Close(); err != nil {
		return fmt.Errorf("store: close redis: %w", err)
	}
	return nil
}

func positive(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}

// scoreArg formats a score bound the way ZRANGEBYSCORE expects it.
func scoreArg(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
