package reminders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// The scheduler's work in a tenant's store: transient (records.transient),
// rebuilt from the settings by the next plan when lost.
const (
	planKey = "rem:run:plan" // zset subject → when to read their calendar next
	dueKey  = "rem:run:due"  // zset dueMember → when to send
)

// takeKey is the lease on one entry at one score.
func takeKey(key, member string, score float64) string {
	sum := sha256.Sum256([]byte(key + "\x00" + member + "\x00" + strconv.FormatFloat(score, 'f', -1, 64)))
	return "rem:run:take:" + hex.EncodeToString(sum[:12])
}

// sentKey is the once-only claim of one occurrence's push.
func sentKey(occ string) string { return "rem:run:sent:" + occ }

// dueMember is "subject|occurrence|start": subjects may hold "|", so it
// is split from the right.
func dueMember(subject, occ string, start time.Time) string {
	return subject + "|" + occ + "|" + strconv.FormatInt(start.Unix(), 10)
}

func parseDue(member string) (subject, occ string, start time.Time, ok bool) {
	i := strings.LastIndexByte(member, '|')
	if i < 0 {
		return "", "", time.Time{}, false
	}
	j := strings.LastIndexByte(member[:i], '|')
	if j < 0 {
		return "", "", time.Time{}, false
	}
	sec, err := strconv.ParseInt(member[i+1:], 10, 64)
	if err != nil {
		return "", "", time.Time{}, false
	}
	return member[:j], member[j+1 : i], time.Unix(sec, 0), true
}

// Save stores a person's settings and starts (or stops) their reminders:
// turning them on plans the person at once, on whichever instance.
func Save(ctx context.Context, tenantStore store.Store, subject string, p Prefs, now time.Time) error {
	p.Updated = now.UTC()
	if err := NewPrefs(tenantStore).Put(ctx, subject, p); err != nil {
		return err
	}
	if !p.Enabled {
		if err := tenantStore.ZRem(ctx, planKey, subject); err != nil {
			return fmt.Errorf("reminders: stop: %w", err)
		}
		return nil
	}
	if err := tenantStore.ZAdd(ctx, planKey, subject, float64(now.Unix())); err != nil {
		return fmt.Errorf("reminders: start: %w", err)
	}
	return nil
}
