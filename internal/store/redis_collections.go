package store

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/redis/go-redis/v9"
)

// HSet implements Store.
func (r *Redis) HSet(ctx context.Context, key, field string, value []byte) error {
	return redisErr(ctx, "hset", r.client.HSet(ctx, key, field, value).Err())
}

// HGet implements Store.
func (r *Redis) HGet(ctx context.Context, key, field string) ([]byte, error) {
	v, err := r.client.HGet(ctx, key, field).Bytes()
	if err != nil {
		return nil, redisErr(ctx, "hget", err)
	}
	return v, nil
}

// HGetAll implements Store.
func (r *Redis) HGetAll(ctx context.Context, key string) (map[string][]byte, error) {
	m, err := r.client.HGetAll(ctx, key).Result()
	if err != nil {
		return nil, redisErr(ctx, "hgetall", err)
	}
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out, nil
}

// HGetAllMany implements Store with a pipeline (on a Cluster go-redis
// splits it by node).
func (r *Redis) HGetAllMany(ctx context.Context, keys ...string) ([]map[string][]byte, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(keys))
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.HGetAll(ctx, k)
		}
		return nil
	})
	if err != nil {
		return nil, redisErr(ctx, "hgetallmany", err)
	}
	out := make([]map[string][]byte, len(keys))
	for i, c := range cmds {
		out[i] = make(map[string][]byte, len(c.Val()))
		for f, v := range c.Val() {
			out[i][f] = []byte(v)
		}
	}
	return out, nil
}

// HDel implements Store.
func (r *Redis) HDel(ctx context.Context, key string, fields ...string) error {
	if len(fields) == 0 {
		return nil
	}
	return redisErr(ctx, "hdel", r.client.HDel(ctx, key, fields...).Err())
}

// HLen implements Store.
func (r *Redis) HLen(ctx context.Context, key string) (int64, error) {
	n, err := r.client.HLen(ctx, key).Result()
	return n, redisErr(ctx, "hlen", err)
}

var errNaN = errors.New("score is NaN")

// ZAdd implements Store.
func (r *Redis) ZAdd(ctx context.Context, key, member string, score float64) error {
	if math.IsNaN(score) {
		return fmt.Errorf("store: zadd: %w", errNaN)
	}
	return redisErr(ctx, "zadd", r.client.ZAdd(ctx, key, redis.Z{Score: score, Member: member}).Err())
}

// ZRem implements Store.
func (r *Redis) ZRem(ctx context.Context, key string, members ...string) error {
	if len(members) == 0 {
		return nil
	}
	args := make([]any, len(members))
	for i, m := range members {
		args[i] = m
	}
	return redisErr(ctx, "zrem", r.client.ZRem(ctx, key, args...).Err())
}

// ZRangeByScore implements Store.
func (r *Redis) ZRangeByScore(ctx context.Context, key string, min, max float64, offset, count int, reverse bool) ([]string, error) {
	if math.IsNaN(min) || math.IsNaN(max) {
		return nil, fmt.Errorf("store: zrangebyscore: %w", errNaN)
	}
	by := &redis.ZRangeBy{Min: scoreArg(min), Max: scoreArg(max)}
	if offset > 0 || count > 0 {
		by.Offset = int64(max0(offset))
		by.Count = -1
		if count > 0 {
			by.Count = int64(count)
		}
	}
	var res *redis.StringSliceCmd
	if reverse {
		res = r.client.ZRevRangeByScore(ctx, key, by)
	} else {
		res = r.client.ZRangeByScore(ctx, key, by)
	}
	members, err := res.Result()
	if err != nil {
		return nil, redisErr(ctx, "zrangebyscore", err)
	}
	return members, nil
}

// ZScore implements Store.
func (r *Redis) ZScore(ctx context.Context, key, member string) (float64, error) {
	s, err := r.client.ZScore(ctx, key, member).Result()
	return s, redisErr(ctx, "zscore", err)
}

// ZCard implements Store.
func (r *Redis) ZCard(ctx context.Context, key string) (int64, error) {
	n, err := r.client.ZCard(ctx, key).Result()
	return n, redisErr(ctx, "zcard", err)
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}
