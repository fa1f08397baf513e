package store

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Issue 17, point 10: more requests than pool connections, each holding
// its connection a while (as under overload, when Redis answers slowly),
// wait their turn instead of failing. With go-redis' one-second wait for a
// connection, 2,000 concurrent clients got 10.5 % 503s.
func TestPoolQueuesInsteadOfFailing(t *testing.T) {
	opts, err := ParseRedisURL(testenv.Server(t, "PFORTE_TEST_REDIS_URL") + "?pool_size=4")
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewUniversalClient(opts)
	defer rc.Close()
	// 40 commands that each hold a connection for 200 ms on 4 connections:
	// about 2 s of queueing for the last ones.
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			err := rc.BLPop(t.Context(), 200*time.Millisecond, "pool-test-empty-"+strconv.Itoa(i)).Err()
			if err != nil && !errors.Is(err, redis.Nil) {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a queued command failed instead of waiting: %v", err)
	}
}

func TestPoolQueryParameters(t *testing.T) {
	opts, err := ParseRedisURL("redis://127.0.0.1:6379/0?pool_size=100&pool_timeout=8s")
	if err != nil || opts.PoolSize != 100 || opts.PoolTimeout != 8*time.Second {
		t.Fatalf("pool_size/pool_timeout: %+v %v", opts, err)
	}
	if opts, _ := ParseRedisURL("redis://127.0.0.1:6379/0"); opts.PoolSize < redisPoolMin || opts.PoolTimeout != redisPoolWaitTimeout {
		t.Errorf("defaults: pool %d, wait %v", opts.PoolSize, opts.PoolTimeout)
	}
	for _, q := range []string{"pool_size=0", "pool_size=x", "pool_timeout=0s", "pool_timeout=2h"} {
		if _, err := ParseRedisURL("redis://127.0.0.1:6379/0?" + q); err == nil {
			t.Errorf("%s accepted", q)
		}
	}
}
