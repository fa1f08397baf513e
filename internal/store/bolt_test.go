package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestBoltFileModesAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := t.Context()
	s, err := Open(ctx, "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "session", []byte("alice"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.ZAdd(ctx, "feed", "ann", 3); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "pforte.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}

	// Data survives a restart of the process.
	s, err = Open(ctx, "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.Get(ctx, "session"); err != nil || string(v) != "alice" {
		t.Fatalf("after reopen Get = %q, %v", v, err)
	}
	if sc, err := s.ZScore(ctx, "feed", "ann"); err != nil || sc != 3 {
		t.Fatalf("after reopen ZScore = %v, %v", sc, err)
	}

	// A second instance on the same data dir gets an error, not a hang.
	if _, err := Open(ctx, "", dir, nil); err == nil {
		t.Fatal("a second Open of a file in use succeeded")
	}
}

func TestBoltClosed(t *testing.T) {
	b, err := NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ch, _, err := b.Subscribe(ctx, "news")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-ch; ok {
		t.Fatal("subscription still open after Close")
	}
	for name, err := range map[string]error{
		"Ping":      b.Ping(ctx),
		"Set":       b.Set(ctx, "k", []byte("v"), 0),
		"Publish":   b.Publish(ctx, "news", []byte("x")),
		"Subscribe": func() error { _, _, err := b.Subscribe(ctx, "news"); return err }(),
	} {
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s after Close = %v, want ErrUnavailable", name, err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestBoltSweep: expired entries leave the file, not only the reads.
func TestBoltSweep(t *testing.T) {
	b, err := newBolt(filepath.Join(t.TempDir(), "pforte.db"), nil, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := t.Context()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Set(ctx, "str", []byte("v"), 100*time.Millisecond))
	must(b.HSet(ctx, "hash", "f", []byte("v")))
	must(b.Expire(ctx, "hash", 100*time.Millisecond))
	must(b.ZAdd(ctx, "zset", "m", 1))
	must(b.Expire(ctx, "zset", 100*time.Millisecond))
	must(b.Set(ctx, "keep", []byte("v"), time.Hour))

	deadline := time.Now().Add(10 * time.Second)
	for {
		n := countEntries(t, b)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sweeper left %d keys in the file, want only the unexpired one", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if v, err := b.Get(ctx, "keep"); err != nil || string(v) != "v" {
		t.Fatalf("the sweeper removed an unexpired key: %q, %v", v, err)
	}
	// Every trace is gone: data buckets and the expiry index hold one entry.
	err = b.db.View(func(tx *bolt.Tx) error {
		for name, want := range map[string]int{"str": 1, "hash": 0, "zset": 0, "exp": 1} {
			if got := tx.Bucket([]byte(name)).Stats().KeyN; got != want {
				t.Errorf("bucket %s holds %d entries after the sweep, want %d", name, got, want)
			}
		}
		return nil
	})
	must(err)
}

func countEntries(t *testing.T, b *Bolt) int {
	n := 0
	err := b.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketKeys).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenRedisURLError(t *testing.T) {
	_, err := Open(context.Background(), "memcached://:topsecret@host", t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), `unknown scheme "memcached"`) || strings.Contains(err.Error(), "topsecret") {
		t.Fatalf("Open with an unknown scheme: %v", err)
	}
}
