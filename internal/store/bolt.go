package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DefaultSweepInterval is how often a Bolt store deletes expired entries from
// its file. Reads never see expired entries regardless of the sweep.
const DefaultSweepInterval = time.Minute

// Bolt is the Store in one embedded bbolt file, for a single instance and
// the demo. Pub/sub is delivered inside the process only.
//
// The file holds one top-level bucket per kind of data: "keys" maps every
// key to its kind and expiry (so keys of all kinds share one namespace, as
// in Redis), "str", "hash" and "zset" hold the data, and "exp" indexes
// expiring keys by time so the sweeper finds them without a full scan.
type Bolt struct {
	db     *bolt.DB
	logger *slog.Logger
	hub    *hub

	stopSweep context.CancelFunc
	swept     sync.WaitGroup
	closeOnce sync.Once
}

var (
	bucketKeys = []byte("keys")
	bucketStr  = []byte("str")
	bucketHash = []byte("hash")
	bucketZSet = []byte("zset")
	bucketExp  = []byte("exp")
)

// NewBolt opens (or creates, mode 0600 in a 0700 directory) the bbolt file at
// path and starts a sweeper that removes expired entries every
// DefaultSweepInterval until Close.
func NewBolt(path string, logger *slog.Logger) (*Bolt, error) {
	return newBolt(path, logger, DefaultSweepInterval)
}

func newBolt(path string, logger *slog.Logger, sweepEvery time.Duration) (*Bolt, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	// The timeout turns "another process holds the file" into an error
	// instead of a hang.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketKeys, bucketStr, bucketHash, bucketZSet, bucketExp, bucketQueue} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: init %s: %w", path, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Bolt{db: db, logger: logger, hub: newHub(logger), stopSweep: cancel}
	b.swept.Add(1)
	go b.sweepLoop(ctx, sweepEvery)
	return b, nil
}

// view and update run fn in a read or write transaction and wrap its error.
func (b *Bolt) view(op string, fn func(tx *bolt.Tx, now int64) error) error {
	now := time.Now().UnixNano()
	return boltErr(op, b.db.View(func(tx *bolt.Tx) error { return fn(tx, now) }))
}

func (b *Bolt) update(op string, fn func(tx *bolt.Tx, now int64) error) error {
	now := time.Now().UnixNano()
	return boltErr(op, b.db.Update(func(tx *bolt.Tx) error { return fn(tx, now) }))
}

func boltErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bolterrors.ErrDatabaseNotOpen):
		return fmt.Errorf("store: %s: %w: store is closed", op, ErrUnavailable)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// Ping implements Store.
func (b *Bolt) Ping(ctx context.Context) error {
	return b.view("ping", func(*bolt.Tx, int64) error { return ctx.Err() })
}

// Close stops the sweeper, closes every subscription and the file.
func (b *Bolt) Close() error {
	var err error
	b.closeOnce.Do(func() {
		b.stopSweep()
		b.swept.Wait()
		b.hub.close()
		if cerr := b.db.Close(); cerr != nil {
			err = fmt.Errorf("store: close bolt: %w", cerr)
		}
	})
	return err
}

func (b *Bolt) sweepLoop(ctx context.Context, every time.Duration) {
	defer b.swept.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := b.sweep()
			if err != nil {
				b.logger.Error("store: sweep expired entries", "err", err)
			} else if n > 0 {
				b.logger.Debug("store: swept expired entries", "count", n)
			}
		}
	}
}

// sweep deletes up to 10,000 expired keys and reports how many it deleted.
func (b *Bolt) sweep() (int, error) {
	deleted := 0
	err := b.update("sweep", func(tx *bolt.Tx, now int64) error {
		var due [][]byte
		c := tx.Bucket(bucketExp).Cursor()
		for k, _ := c.First(); k != nil && len(due) < 10000; k, _ = c.Next() {
			if expAt(k) > now {
				break
			}
			due = append(due, append([]byte(nil), k...))
		}
		for _, idx := range due {
			key := string(idx[8:])
			if m, ok := readMeta(tx, key); ok && m.exp == expAt(idx) {
				if err := removeKey(tx, key, m); err != nil {
					return err
				}
				deleted++
				continue
			}
			// A stale index entry (should not happen): drop it.
			if err := tx.Bucket(bucketExp).Delete(idx); err != nil {
				return err
			}
		}
		return nil
	})
	return deleted, err
}
