package records

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// maxLine bounds one line of a backup (an audit log of many entries is one line).
const maxLine = 256 << 20

// Import reads an Export from r into st (the root store). It checks the
// whole input first and writes nothing when a line is wrong (the error
// names the line); then it writes every record. Writing is idempotent:
// importing the same backup twice, or into a store that already holds the
// same records, leaves the same store. A hash or sorted set that already
// holds other fields or members keeps them. known says which tenants the
// config serves; records of others are refused.
func Import(ctx context.Context, st store.Store, r io.Reader, known func(tenant string) bool) (Summary, error) {
	var lines []Line
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l Line
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return Summary{}, fmt.Errorf("records: import line %d: %w", n, err)
		}
		if err := check(l, known); err != nil {
			return Summary{}, fmt.Errorf("records: import line %d: %w", n, err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return Summary{}, fmt.Errorf("records: import: %w", err)
	}
	var sum Summary
	for _, l := range lines {
		if err := write(ctx, store.ForTenant(st, l.Tenant), l); err != nil {
			return sum, fmt.Errorf("records: import %s %s: %w", l.Tenant, l.Key, err)
		}
		sum.Records++
	}
	return sum, nil
}

// check refuses a line Import must not write.
func check(l Line, known func(string) bool) error {
	if !known(l.Tenant) {
		return fmt.Errorf("tenant %q is not in the config (add it first, or leave its lines out)", l.Tenant)
	}
	k, ok := kindOf(l.Key)
	if !ok {
		return fmt.Errorf("key %q is not a record this version knows", l.Key)
	}
	set := 0
	for _, b := range []bool{l.String != nil, l.Hash != nil, l.ZSet != nil} {
		if b {
			set++
		}
	}
	want := map[Type]bool{TypeString: l.String != nil, TypeHash: len(l.Hash) > 0, TypeZSet: len(l.ZSet) > 0}
	if set != 1 || !want[k.typ] {
		return errors.New(`key ` + l.Key + ` needs exactly one of "string", "hash", "zset" (` + map[Type]string{TypeString: "string", TypeHash: "hash", TypeZSet: "zset"}[k.typ] + `)`)
	}
	return nil
}

func write(ctx context.Context, ts store.Store, l Line) error {
	switch {
	case l.String != nil:
		return ts.Set(ctx, l.Key, *l.String, 0)
	case l.Hash != nil:
		for f, v := range l.Hash {
			if err := ts.HSet(ctx, l.Key, f, v); err != nil {
				return err
			}
		}
	default:
		for _, m := range l.ZSet {
			if err := ts.ZAdd(ctx, l.Key, m.M, m.S); err != nil {
				return err
			}
		}
	}
	return nil
}
