package records

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Line is one record of a backup: one JSON object per line, exactly one of
// String, Hash and ZSet set. The shape is a public contract (backups
// outlive versions): extend it, never rename.
type Line struct {
	Tenant string           `json:"tenant"`
	Key    string           `json:"key"`
	String *Value           `json:"string,omitempty"`
	Hash   map[string]Value `json:"hash,omitempty"`
	ZSet   []Member         `json:"zset,omitempty"`
}

// Member is one member of a sorted set with its score.
type Member struct {
	M string  `json:"m"`
	S float64 `json:"s"`
}

// Summary counts what Export or Import did.
type Summary struct {
	Records int
	// Unknown are keys that are neither a known record nor transient: they
	// were not exported (a new kind of record this version does not know).
	Unknown []string
}

// Export writes every record of the tenants (not sessions or caches) to w
// as JSON lines, tenant by tenant, keys sorted: the same records give the
// same bytes on Redis and on bbolt. st is the root store.
func Export(ctx context.Context, st store.Store, tenants []string, w io.Writer) (Summary, error) {
	var sum Summary
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, t := range tenants {
		ts := store.ForTenant(st, t)
		keys, err := ts.Keys(ctx, "")
		if err != nil {
			return sum, fmt.Errorf("records: export %s: %w", t, err)
		}
		for _, key := range keys {
			k, ok := kindOf(key)
			if !ok {
				if !isTransient(key) {
					sum.Unknown = append(sum.Unknown, t+": "+key)
				}
				continue
			}
			line, err := read(ctx, ts, t, key, k.typ)
			if errors.Is(err, store.ErrNotFound) {
				continue // deleted since Keys
			}
			if err != nil {
				return sum, err
			}
			if err := enc.Encode(line); err != nil {
				return sum, fmt.Errorf("records: export: %w", err)
			}
			sum.Records++
		}
	}
	if err := bw.Flush(); err != nil {
		return sum, fmt.Errorf("records: export: %w", err)
	}
	return sum, nil
}

// read loads one record of type typ.
func read(ctx context.Context, ts store.Store, tenant, key string, typ Type) (Line, error) {
	line := Line{Tenant: tenant, Key: key}
	switch typ {
	case TypeString:
		v, err := ts.Get(ctx, key)
		if err != nil {
			return line, fmt.Errorf("records: read %s: %w", key, err)
		}
		line.String = (*Value)(&v)
	case TypeHash:
		// Paged: the user list and receipt hashes have a field per person.
		line.Hash = map[string]Value{}
		err := ts.HScan(ctx, key, func(f string, v []byte) error {
			line.Hash[f] = v
			return nil
		})
		if err != nil {
			return line, fmt.Errorf("records: read %s: %w", key, err)
		}
		if len(line.Hash) == 0 {
			line.Hash = nil
			return line, store.ErrNotFound
		}
	case TypeZSet:
		members, err := ts.ZRangeByScore(ctx, key, math.Inf(-1), math.Inf(1), 0, 0, false)
		if err != nil {
			return line, fmt.Errorf("records: read %s: %w", key, err)
		}
		for _, m := range members {
			s, err := ts.ZScore(ctx, key, m)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return line, fmt.Errorf("records: read %s: %w", key, err)
			}
			line.ZSet = append(line.ZSet, Member{M: m, S: s})
		}
		if len(line.ZSet) == 0 {
			return line, store.ErrNotFound
		}
	}
	return line, nil
}
