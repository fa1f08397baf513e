package store

import (
	"context"
	"encoding/binary"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A queue in the bbolt file is a nested bucket of "queue" named after it:
// one entry per item, keyed by an increasing sequence number, holding
// notBefore and leaseUntil (Unix nanoseconds), whether it was ever leased,
// the consumer and the data. Leasing walks it in order; items are few
// (chunks of work, not single messages), so the walk is short.
var bucketQueue = []byte("queue")

const queueHeader = 8 + 8 + 1 + 2

type queueEntry struct {
	notBefore, leaseUntil int64
	leased                bool
	consumer              string
	data                  []byte
}

func (e queueEntry) encode() []byte {
	b := make([]byte, queueHeader, queueHeader+len(e.consumer)+len(e.data))
	binary.BigEndian.PutUint64(b, uint64(e.notBefore))      // #nosec G115 -- Unix nanoseconds round-trip
	binary.BigEndian.PutUint64(b[8:], uint64(e.leaseUntil)) // #nosec G115 -- Unix nanoseconds round-trip
	if e.leased {
		b[16] = 1
	}
	binary.BigEndian.PutUint16(b[17:], uint16(min(len(e.consumer), 0xffff))) // #nosec G115 -- bounded
	return append(append(b, e.consumer[:min(len(e.consumer), 0xffff)]...), e.data...)
}

func decodeQueueEntry(v []byte) (queueEntry, bool) {
	if len(v) < queueHeader {
		return queueEntry{}, false
	}
	n := int(binary.BigEndian.Uint16(v[17:]))
	if len(v) < queueHeader+n {
		return queueEntry{}, false
	}
	return queueEntry{
		notBefore:  int64(binary.BigEndian.Uint64(v)),     // #nosec G115 -- round-trips encode
		leaseUntil: int64(binary.BigEndian.Uint64(v[8:])), // #nosec G115 -- round-trips encode
		leased:     v[16] == 1,
		consumer:   string(v[queueHeader : queueHeader+n]),
		data:       append([]byte(nil), v[queueHeader+n:]...),
	}, true
}

func queueSeq(id string) ([]byte, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return nil, false
	}
	return binary.BigEndian.AppendUint64(nil, n), true
}

// QueueAdd implements Store.
func (b *Bolt) QueueAdd(ctx context.Context, queue string, notBefore time.Time, items ...[]byte) error {
	if len(items) == 0 {
		return nil
	}
	return b.update("queue add", func(tx *bolt.Tx, now int64) error {
		q, err := tx.Bucket(bucketQueue).CreateBucketIfNotExists(dbKey(queue))
		if err != nil {
			return err
		}
		nb := int64(0)
		if !notBefore.IsZero() {
			nb = notBefore.UnixNano()
		}
		for _, it := range items {
			seq, err := q.NextSequence()
			if err != nil {
				return err
			}
			if err := q.Put(binary.BigEndian.AppendUint64(nil, seq), queueEntry{notBefore: nb, data: it}.encode()); err != nil {
				return err
			}
		}
		return nil
	})
}

// QueueLease implements Store.
func (b *Bolt) QueueLease(ctx context.Context, queue, consumer string, lease time.Duration, n int) ([]QueueItem, error) {
	var out []QueueItem
	if n <= 0 {
		return nil, nil
	}
	err := b.update("queue lease", func(tx *bolt.Tx, now int64) error {
		q := tx.Bucket(bucketQueue).Bucket(dbKey(queue))
		if q == nil {
			return nil
		}
		type pick struct {
			k []byte
			e queueEntry
		}
		var picks []pick
		c := q.Cursor()
		for k, v := c.First(); k != nil && len(picks) < n; k, v = c.Next() {
			e, ok := decodeQueueEntry(v)
			if ok && e.notBefore <= now && e.leaseUntil <= now {
				picks = append(picks, pick{append([]byte(nil), k...), e})
			}
		}
		for _, p := range picks {
			out = append(out, QueueItem{ID: strconv.FormatUint(binary.BigEndian.Uint64(p.k), 10), Data: p.e.data, Retaken: p.e.leased})
			p.e.leased, p.e.consumer, p.e.leaseUntil = true, consumer, now+int64(lease)
			if err := q.Put(p.k, p.e.encode()); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// QueueExtend implements Store.
func (b *Bolt) QueueExtend(ctx context.Context, queue, consumer string, lease time.Duration, ids ...string) error {
	return b.update("queue extend", func(tx *bolt.Tx, now int64) error {
		q := tx.Bucket(bucketQueue).Bucket(dbKey(queue))
		if q == nil {
			return nil
		}
		for _, id := range ids {
			k, ok := queueSeq(id)
			if !ok {
				continue
			}
			e, ok := decodeQueueEntry(q.Get(k))
			if !ok || e.consumer != consumer {
				continue // acknowledged, or taken over by another consumer
			}
			e.leaseUntil = now + int64(lease)
			if err := q.Put(k, e.encode()); err != nil {
				return err
			}
		}
		return nil
	})
}

// QueueAck implements Store.
func (b *Bolt) QueueAck(ctx context.Context, queue string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	return b.update("queue ack", func(tx *bolt.Tx, now int64) error {
		q := tx.Bucket(bucketQueue).Bucket(dbKey(queue))
		if q == nil {
			return nil
		}
		for _, id := range ids {
			if k, ok := queueSeq(id); ok {
				if err := q.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
