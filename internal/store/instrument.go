package store

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// instrumented measures every call of the Store beneath it.
type instrumented struct {
	s        Store
	duration *prometheus.HistogramVec
	errs     *prometheus.CounterVec
}

// Instrument returns s with every call measured in the histogram
// pforte_store_duration_seconds{op} and every failure (ErrNotFound is not
// one) counted in pforte_store_errors_total{op}. The metrics are registered
// with reg (nil: not registered); registering twice reuses the first ones,
// so several stores may be instrumented with one registry. Close closes s.
func Instrument(s Store, reg prometheus.Registerer) Store {
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "pforte_store_duration_seconds",
		Help:    "Time taken by store operations.",
		Buckets: []float64{.0002, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"op"})
	errs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pforte_store_errors_total",
		Help: "Store operations that failed (not counting \"not found\").",
	}, []string{"op"})
	if reg != nil {
		duration = register(reg, duration)
		errs = register(reg, errs)
	}
	return &instrumented{s: s, duration: duration, errs: errs}
}

// register registers c, or returns the collector already registered under
// the same name.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

func (m *instrumented) observe(op string, start time.Time, err error) {
	m.duration.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if err != nil && !errors.Is(err, ErrNotFound) {
		m.errs.WithLabelValues(op).Inc()
	}
}

func (m *instrumented) Keys(ctx context.Context, prefix string) ([]string, error) {
	start := time.Now()
	v, err := m.s.Keys(ctx, prefix)
	m.observe("keys", start, err)
	return v, err
}

func (m *instrumented) Get(ctx context.Context, key string) ([]byte, error) {
	start := time.Now()
	v, err := m.s.Get(ctx, key)
	m.observe("get", start, err)
	return v, err
}

func (m *instrumented) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	start := time.Now()
	err := m.s.Set(ctx, key, value, ttl)
	m.observe("set", start, err)
	return err
}

func (m *instrumented) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	start := time.Now()
	v, err := m.s.SetNX(ctx, key, value, ttl)
	m.observe("setnx", start, err)
	return v, err
}

func (m *instrumented) Delete(ctx context.Context, keys ...string) error {
	start := time.Now()
	err := m.s.Delete(ctx, keys...)
	m.observe("delete", start, err)
	return err
}

func (m *instrumented) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	start := time.Now()
	v, err := m.s.Incr(ctx, key, ttl)
	m.observe("incr", start, err)
	return v, err
}

func (m *instrumented) Expire(ctx context.Context, key string, ttl time.Duration) error {
	start := time.Now()
	err := m.s.Expire(ctx, key, ttl)
	m.observe("expire", start, err)
	return err
}

func (m *instrumented) HSet(ctx context.Context, key, field string, value []byte) error {
	start := time.Now()
	err := m.s.HSet(ctx, key, field, value)
	m.observe("hset", start, err)
	return err
}

func (m *instrumented) HGet(ctx context.Context, key, field string) ([]byte, error) {
	start := time.Now()
	v, err := m.s.HGet(ctx, key, field)
	m.observe("hget", start, err)
	return v, err
}

func (m *instrumented) HGetAll(ctx context.Context, key string) (map[string][]byte, error) {
	start := time.Now()
	v, err := m.s.HGetAll(ctx, key)
	m.observe("hgetall", start, err)
	return v, err
}

func (m *instrumented) HGetAllMany(ctx context.Context, keys ...string) ([]map[string][]byte, error) {
	start := time.Now()
	v, err := m.s.HGetAllMany(ctx, keys...)
	m.observe("hgetallmany", start, err)
	return v, err
}

// HScan observes the whole scan, fn included: what a caller waits for.
func (m *instrumented) HScan(ctx context.Context, key string, fn func(string, []byte) error) error {
	start := time.Now()
	err := m.s.HScan(ctx, key, fn)
	m.observe("hscan", start, err)
	return err
}

func (m *instrumented) HDel(ctx context.Context, key string, fields ...string) error {
	start := time.Now()
	err := m.s.HDel(ctx, key, fields...)
	m.observe("hdel", start, err)
	return err
}

func (m *instrumented) HLen(ctx context.Context, key string) (int64, error) {
	start := time.Now()
	v, err := m.s.HLen(ctx, key)
	m.observe("hlen", start, err)
	return v, err
}

func (m *instrumented) ZAdd(ctx context.Context, key, member string, score float64) error {
	start := time.Now()
	err := m.s.ZAdd(ctx, key, member, score)
	m.observe("zadd", start, err)
	return err
}

func (m *instrumented) ZRem(ctx context.Context, key string, members ...string) error {
	start := time.Now()
	err := m.s.ZRem(ctx, key, members...)
	m.observe("zrem", start, err)
	return err
}

func (m *instrumented) ZRangeByScore(ctx context.Context, key string, min, max float64, offset, count int, reverse bool) ([]string, error) {
	start := time.Now()
	v, err := m.s.ZRangeByScore(ctx, key, min, max, offset, count, reverse)
	m.observe("zrangebyscore", start, err)
	return v, err
}

func (m *instrumented) ZScore(ctx context.Context, key, member string) (float64, error) {
	start := time.Now()
	v, err := m.s.ZScore(ctx, key, member)
	m.observe("zscore", start, err)
	return v, err
}

func (m *instrumented) ZCard(ctx context.Context, key string) (int64, error) {
	start := time.Now()
	v, err := m.s.ZCard(ctx, key)
	m.observe("zcard", start, err)
	return v, err
}

func (m *instrumented) Publish(ctx context.Context, channel string, msg []byte) error {
	start := time.Now()
	err := m.s.Publish(ctx, channel, msg)
	m.observe("publish", start, err)
	return err
}

func (m *instrumented) QueueAdd(ctx context.Context, queue string, notBefore time.Time, items ...[]byte) error {
	start := time.Now()
	err := m.s.QueueAdd(ctx, queue, notBefore, items...)
	m.observe("queueadd", start, err)
	return err
}

func (m *instrumented) QueueLease(ctx context.Context, queue, consumer string, lease time.Duration, n int) ([]QueueItem, error) {
	start := time.Now()
	v, err := m.s.QueueLease(ctx, queue, consumer, lease, n)
	m.observe("queuelease", start, err)
	return v, err
}

func (m *instrumented) QueueExtend(ctx context.Context, queue, consumer string, lease time.Duration, ids ...string) error {
	start := time.Now()
	err := m.s.QueueExtend(ctx, queue, consumer, lease, ids...)
	m.observe("queueextend", start, err)
	return err
}

func (m *instrumented) QueueAck(ctx context.Context, queue string, ids ...string) error {
	start := time.Now()
	err := m.s.QueueAck(ctx, queue, ids...)
	m.observe("queueack", start, err)
	return err
}

func (m *instrumented) Ping(ctx context.Context) error {
	start := time.Now()
	err := m.s.Ping(ctx)
	m.observe("ping", start, err)
	return err
}

// Subscribe measures only the subscribing, not the life of the subscription.
func (m *instrumented) Subscribe(ctx context.Context, channel string) (<-chan []byte, func(), error) {
	start := time.Now()
	ch, cancel, err := m.s.Subscribe(ctx, channel)
	m.observe("subscribe", start, err)
	return ch, cancel, err
}

func (m *instrumented) Close() error { return m.s.Close() }
