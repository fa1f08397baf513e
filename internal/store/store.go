// Package store keeps Pforte's shared state: sessions, the per-user dashboard
// cache, announcements, read records, push subscriptions, leases and rate-limit
// counters. Production runs on Redis (a single server, Sentinel or Cluster);
// a single instance and the demo run on an embedded bbolt file. Both behave the
// same way; internal/store/storetest holds the suite that proves it.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrNotFound is returned when a key, hash field or sorted-set member is
// absent or expired.
var ErrNotFound = errors.New("store: not found")

// ErrUnavailable wraps every failure to reach the store (Redis down, a network
// timeout, a closed store), so the web layer can answer 503 at once instead of
// treating it as a bug.
var ErrUnavailable = errors.New("store: unavailable")

// Store is the storage both backends implement. Keys and channels are opaque
// strings; use Prefixed or ForTenant to namespace them.
type Store interface {
	// Get returns the value of key, or ErrNotFound when it is absent or expired.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores value under key; ttl 0 keeps it forever (and removes an earlier expiry).
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetNX stores value only when key does not exist yet and reports whether it
	// did; exactly one of many concurrent callers wins (leases, once-only work).
	SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Delete removes keys of any kind; absent keys are not an error.
	Delete(ctx context.Context, keys ...string) error
	// Incr adds one to the integer at key and returns the new value. ttl (if
	// positive) is applied when the key is created, so a rate-limit window
	// starts with the first hit and is not extended by later ones.
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	// Expire sets the time to live of an existing key of any kind; ttl <= 0
	// removes the expiry. It returns ErrNotFound when the key does not exist.
	Expire(ctx context.Context, key string, ttl time.Duration) error
	// HSet sets one field of the hash at key.
	HSet(ctx context.Context, key, field string, value []byte) error
	// HGet returns one field of the hash at key, or ErrNotFound.
	HGet(ctx context.Context, key, field string) ([]byte, error)
	// HGetAll returns every field of the hash at key; an empty map when absent.
	HGetAll(ctx context.Context, key string) (map[string][]byte, error)
	// HGetAllMany is HGetAll of each key, in one round trip: the i-th map
	// belongs to keys[i] (empty when absent).
	HGetAllMany(ctx context.Context, keys ...string) ([]map[string][]byte, error)
	// HScan calls fn once for every field of the hash at key (none when
	// absent), in no set order, reading it in pages of HScanPage fields so a
	// tenant-sized hash is never one reply big enough to hit the I/O
	// timeout. Fields changed during the scan may or may not be seen; no
	// field is passed twice. An error from fn stops the scan and is returned.
	HScan(ctx context.Context, key string, fn func(field string, value []byte) error) error
	// HDel removes fields from the hash at key; absent fields are not an error.
	HDel(ctx context.Context, key string, fields ...string) error
	// HLen returns the number of fields of the hash at key (0 when absent).
	HLen(ctx context.Context, key string) (int64, error)
	// ZAdd adds member to the sorted set at key or updates its score.
	ZAdd(ctx context.Context, key, member string, score float64) error
	// ZRem removes members from the sorted set at key.
	ZRem(ctx context.Context, key string, members ...string) error
	// ZRangeByScore returns the members with min <= score <= max, ordered by
	// score and then by member (bytewise), or the reverse when reverse is true.
	// It skips offset members and returns at most count (count <= 0: all).
	ZRangeByScore(ctx context.Context, key string, min, max float64, offset, count int, reverse bool) ([]string, error)
	// ZScore returns the score of member, or ErrNotFound.
	ZScore(ctx context.Context, key, member string) (float64, error)
	// ZCard returns the number of members of the sorted set at key (0 when absent).
	ZCard(ctx context.Context, key string) (int64, error)
	// Keys returns every live key that starts with prefix, sorted bytewise.
	// It walks the whole key space (Redis: SCAN), so it is for backups,
	// erasure and retention sweeps, never for a request.
	Keys(ctx context.Context, prefix string) ([]string, error)
	// Publish sends msg to every current subscriber of channel. It never waits
	// for a slow subscriber.
	Publish(ctx context.Context, channel string, msg []byte) error
	// Subscribe delivers the messages published on channel after it returns,
	// until ctx ends or the returned cancel is called; the channel is then
	// closed. A subscriber that does not keep up loses messages (they are
	// dropped, never queued without bound, and publishers never block). On
	// Redis the subscription survives a server restart.
	Subscribe(ctx context.Context, channel string) (<-chan []byte, func(), error)
	// QueueAdd appends items to the durable work queue named queue; each
	// becomes leasable at notBefore (zero or past: at once). Queues are a
	// namespace of their own: Delete and Expire do not touch them.
	QueueAdd(ctx context.Context, queue string, notBefore time.Time, items ...[]byte) error
	// QueueLease leases up to n items of queue to consumer for lease: first
	// items whose earlier lease ran out (their consumer crashed; Retaken is
	// set), then items never leased. A leased item is offered to no one else
	// until its lease runs out or it is acknowledged. It never blocks.
	QueueLease(ctx context.Context, queue, consumer string, lease time.Duration, n int) ([]QueueItem, error)
	// QueueExtend renews consumer's lease on ids for another lease (a
	// heartbeat while the work takes long).
	QueueExtend(ctx context.Context, queue, consumer string, lease time.Duration, ids ...string) error
	// QueueAck removes finished items; unknown ids are not an error.
	QueueAck(ctx context.Context, queue string, ids ...string) error
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the store; later calls fail with ErrUnavailable.
	Close() error
}

// QueueItem is one leased item of a work queue.
type QueueItem struct {
	ID      string // for QueueExtend and QueueAck
	Data    []byte
	Retaken bool // an earlier lease of it ran out without an ack
}

// subscriberBuffer is how many messages a subscriber may lag behind before
// further messages to it are dropped.
const subscriberBuffer = 256

// Open returns the Redis store for redisURL, or, when redisURL is empty, the
// bbolt store in dataDir/pforte.db (dataDir is created with mode 0700). It
// checks that Redis answers but does not fail when it does not: the client
// reconnects by itself, and requests fail fast with ErrUnavailable meanwhile.
// Open also routes go-redis' process-wide log output to logger at debug level.
func Open(ctx context.Context, redisURL, dataDir string, logger *slog.Logger) (Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if redisURL != "" {
		opts, err := ParseRedisURL(redisURL)
		if err != nil {
			return nil, err
		}
		// go-redis has one process-wide logger and by default prints every
		// failed dial to stderr; during an outage that would be one line per
		// request. Our own errors already say what failed.
		redis.SetLogger(redisLogger{logger})
		r := NewRedis(opts, logger)
		if err := r.Ping(ctx); err != nil {
			logger.Warn("store: redis is not reachable yet; continuing", "redis", RedactRedisURL(redisURL), "err", err)
		}
		return r, nil
	}
	if dataDir == "" {
		return nil, errors.New("store: neither redis_url nor data_dir is set")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	return NewBolt(filepath.Join(dataDir, "pforte.db"), logger)
}

// redisLogger sends go-redis' internal messages to slog at debug level.
type redisLogger struct{ logger *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.logger.DebugContext(ctx, "store: redis: "+fmt.Sprintf(format, v...))
}
