package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Per-target outcomes, as stored in a chunk's record.
const (
	recDelivered = "d"
	recGone      = "g"
	recExpired   = "x"
	recFailed    = "f"
	recRetrying  = "r"
)

// final reports whether a target with this outcome is done with.
func final(outcome string) bool { return outcome != "" && outcome != recRetrying }

// record is what happened to each target of one chunk (target id →
// outcome): a chunk delivered again (its instance died, or a retry) skips
// every target that is done. One value per chunk, rewritten as the chunk
// progresses, so a crash repeats at most the targets since the last write.
type record map[string]string

func recordKey(pub string, no int) string { return "push:rec:" + pub + ":" + strconv.Itoa(no) }

func figKey(id string) string { return "push:fig:" + id }

func loadRecord(ctx context.Context, st store.Store, pub string, no int) (record, error) {
	raw, err := st.Get(ctx, recordKey(pub, no))
	if errors.Is(err, store.ErrNotFound) {
		return record{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("notify: load record: %w", err)
	}
	r := record{}
	if err := json.Unmarshal(raw, &r); err != nil {
		return record{}, nil // unreadable: deliver again rather than lose
	}
	return r, nil
}

// save writes the record and the chunk's counts for the figures.
func (r record) save(ctx context.Context, st store.Store, ann, pub string, no int, keep time.Duration) error {
	raw, _ := json.Marshal(r)
	if err := st.Set(ctx, recordKey(pub, no), raw, keep); err != nil {
		return fmt.Errorf("notify: save record: %w", err)
	}
	counts := map[string]int{}
	for _, o := range r {
		counts[outcomeName(o)]++
	}
	c, _ := json.Marshal(counts)
	if err := st.HSet(ctx, figKey(ann), pub+"|c"+strconv.Itoa(no), c); err != nil {
		return fmt.Errorf("notify: save figures: %w", err)
	}
	return nil
}

func outcomeName(o string) string {
	switch o {
	case recDelivered:
		return "delivered"
	case recGone:
		return "gone"
	case recExpired:
		return "expired"
	case recFailed:
		return "failed"
	default:
		return "retrying"
	}
}

// Figures returns an announcement's push counts for the admin page, summed
// over its publications (and re-notifying edits): targets, pending (not yet
// tried), done (all but pending), delivered, retrying, expired (TTL ran out), gone (device
// unsubscribed), failed (refused), and the people whose device showed or
// opened it.
func Figures(ctx context.Context, tenantStore store.Store, id string) map[string]int {
	out := map[string]int{"targets": 0, "pending": 0, "delivered": 0, "retrying": 0, "expired": 0, "gone": 0, "failed": 0}
	if all, err := tenantStore.HGetAll(ctx, figKey(id)); err == nil {
		for field, raw := range all {
			if strings.HasSuffix(field, "|targets") {
				n, _ := strconv.Atoi(string(raw))
				out["targets"] += n
				continue
			}
			var one map[string]int
			if json.Unmarshal(raw, &one) == nil {
				for k, v := range one {
					out[k] += v
				}
			}
		}
	}
	// Fan-outs from before the outbox.
	if all, err := tenantStore.HGetAll(ctx, "push:stats:"+id); err == nil {
		for _, raw := range all {
			var one map[string]int
			if json.Unmarshal(raw, &one) == nil {
				for k, v := range one {
					out[k] += v
				}
			}
		}
	}
	done := out["delivered"] + out["retrying"] + out["expired"] + out["gone"] + out["failed"]
	out["pending"] = max(0, out["targets"]-done)
	out["done"] = out["targets"] - out["pending"]
	for _, kind := range []string{"shown", "clicked"} {
		if n, err := tenantStore.HLen(ctx, "push:"+kind+":"+id); err == nil {
			out[kind] = int(n)
		}
	}
	return out
}

// RecordSeen notes that subject's device showed or opened (kind "shown" or
// "clicked") the push of announcement id; each user counts once. The last
// time anything was shown is kept per user for the delivery health page.
func RecordSeen(ctx context.Context, tenantStore store.Store, id, kind, subject string, now time.Time) error {
	stamp := []byte(now.UTC().Format(time.RFC3339))
	if err := tenantStore.HSet(ctx, "push:"+kind+":"+id, subject, stamp); err != nil {
		return fmt.Errorf("notify: record %s: %w", kind, err)
	}
	if err := tenantStore.HSet(ctx, lastShownKey, subject, stamp); err != nil {
		return fmt.Errorf("notify: record %s: %w", kind, err)
	}
	return nil
}

const lastShownKey = "push:lastshown"
