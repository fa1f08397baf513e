package store_test

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// A dashboard cache entry is about 2 KB of JSON.
var value2KB = bytes.Repeat([]byte("x"), 2048)

func benchGet(b *testing.B, s store.Store) {
	ctx := b.Context()
	must(b, s.Set(ctx, "dash", value2KB, time.Hour))
	b.SetBytes(int64(len(value2KB)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Get(ctx, "dash"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchSet(b *testing.B, s store.Store) {
	ctx := b.Context()
	b.SetBytes(int64(len(value2KB)))
	i := 0
	for b.Loop() {
		i++
		must(b, s.Set(ctx, "dash:"+strconv.Itoa(i%100), value2KB, time.Hour))
	}
}

func BenchmarkGet2KB(b *testing.B) {
	b.Run("redis", func(b *testing.B) { benchGet(b, store.Prefixed(openRedis(b), randomPrefix(b))) })
	b.Run("bolt", func(b *testing.B) { benchGet(b, openBolt(b)) })
}

func BenchmarkSet2KB(b *testing.B) {
	b.Run("redis", func(b *testing.B) { benchSet(b, store.Prefixed(openRedis(b), randomPrefix(b))) })
	b.Run("bolt", func(b *testing.B) { benchSet(b, openBolt(b)) })
}

func BenchmarkIncr(b *testing.B) {
	run := func(b *testing.B, s store.Store) {
		ctx := b.Context()
		for b.Loop() {
			if _, err := s.Incr(ctx, "rate", time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("redis", func(b *testing.B) { run(b, store.Prefixed(openRedis(b), randomPrefix(b))) })
	b.Run("bolt", func(b *testing.B) { run(b, openBolt(b)) })
}
