package records

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Limits are one tenant's retention periods: a record older than its limit
// is deleted by Sweep.
type Limits struct {
	Receipts, Announcements, Audit, DevicesIdle, UsersIdle time.Duration
}

// LimitsOf turns a tenant's configured retention into Limits.
func LimitsOf(r config.Retention) Limits {
	r = r.WithDefaults()
	return Limits{Receipts: config.Days(r.ReceiptsDays), Announcements: config.Days(r.AnnouncementsDays),
		Audit: config.Days(r.AuditDays), DevicesIdle: config.Days(r.DevicesIdleDays), UsersIdle: config.Days(r.UsersIdleDays)}
}

// Swept counts what one Sweep deleted.
type Swept struct {
	Announcements, Receipts, Audit, Devices, Users int
}

// Sweep deletes from a tenant's store what is older than its limit at now:
// withdrawn or expired announcements (counted from withdrawal or expiry)
// with all their receipts and figures, single receipts, audit entries, idle
// push devices and idle sign-in profiles. A record exactly at its limit
// stays. Live announcements are never deleted, however old.
func Sweep(ctx context.Context, ts store.Store, l Limits, now time.Time) (Swept, error) {
	var s Swept
	var err error
	if s.Announcements, err = sweepAnnouncements(ctx, ts, now.Add(-l.Announcements)); err != nil {
		return s, err
	}
	if s.Receipts, err = sweepReceipts(ctx, ts, now.Add(-l.Receipts)); err != nil {
		return s, err
	}
	if s.Audit, err = sweepAudit(ctx, ts, now.Add(-l.Audit)); err != nil {
		return s, err
	}
	if s.Devices, err = sweepDevices(ctx, ts, now.Add(-l.DevicesIdle)); err != nil {
		return s, err
	}
	if s.Users, err = sweepUsers(ctx, ts, now.Add(-l.UsersIdle)); err != nil {
		return s, err
	}
	return s, nil
}

func sweepAnnouncements(ctx context.Context, ts store.Store, cutoff time.Time) (int, error) {
	repo := announce.NewRepo(ts)
	all, err := repo.All(ctx)
	if err != nil {
		return 0, fmt.Errorf("records: retention: %w", err)
	}
	n := 0
	for _, a := range all {
		var ended *time.Time // withdrawal or expiry, whichever came first
		for _, t := range []*time.Time{a.WithdrawnAt, a.ExpiresAt} {
			if t != nil && (ended == nil || t.Before(*ended)) {
				ended = t
			}
		}
		if ended == nil || !ended.Before(cutoff) {
			continue
		}
		if err := deleteAnnouncement(ctx, ts, a.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// deleteAnnouncement removes an announcement with everything keyed by its id.
func deleteAnnouncement(ctx context.Context, ts store.Store, id string) error {
	keys := []string{"ann:" + id, "ann:read:" + id, "ann:ack:" + id, "push:shown:" + id, "push:clicked:" + id, "push:stats:" + id}
	for _, p := range []string{"ann:published:" + id + ":", "ann:expired:" + id + ":"} {
		markers, err := ts.Keys(ctx, p)
		if err != nil {
			return fmt.Errorf("records: retention: %w", err)
		}
		keys = append(keys, markers...)
	}
	for _, set := range []string{"ann:index", "ann:live", "ann:due", "push:delayed"} {
		if err := ts.ZRem(ctx, set, id); err != nil {
			return fmt.Errorf("records: retention: %w", err)
		}
	}
	if err := ts.Delete(ctx, keys...); err != nil {
		return fmt.Errorf("records: retention: %w", err)
	}
	return nil
}

// sweepReceipts deletes receipts recorded before cutoff.
func sweepReceipts(ctx context.Context, ts store.Store, cutoff time.Time) (int, error) {
	n := 0
	for _, prefix := range perPerson {
		keys, err := ts.Keys(ctx, prefix)
		if err != nil {
			return n, fmt.Errorf("records: retention: %w", err)
		}
		for _, k := range keys {
			// Paged: a receipt hash has one field per person.
			var old []string
			err := ts.HScan(ctx, k, func(sub string, v []byte) error {
				if at, err := time.Parse(time.RFC3339, string(v)); err == nil && at.Before(cutoff) {
					old = append(old, sub)
				}
				return nil
			})
			if err != nil {
				return n, fmt.Errorf("records: retention: %w", err)
			}
			if err := ts.HDel(ctx, k, old...); err != nil {
				return n, fmt.Errorf("records: retention: %w", err)
			}
			n += len(old)
		}
	}
	return n, nil
}

// sweepAudit deletes audit entries before cutoff (scores are Unix ms).
func sweepAudit(ctx context.Context, ts store.Store, cutoff time.Time) (int, error) {
	old, err := ts.ZRangeByScore(ctx, "ann:audit", math.Inf(-1), float64(cutoff.UnixMilli()-1), 0, 0, false)
	if err != nil {
		return 0, fmt.Errorf("records: retention: %w", err)
	}
	if len(old) == 0 {
		return 0, nil
	}
	if err := ts.ZRem(ctx, "ann:audit", old...); err != nil {
		return 0, fmt.Errorf("records: retention: %w", err)
	}
	return len(old), nil
}

// sweepDevices deletes push devices last seen before cutoff.
func sweepDevices(ctx context.Context, ts store.Store, cutoff time.Time) (int, error) {
	devs := notify.NewDevices(ts)
	users, err := devs.Users(ctx)
	if err != nil {
		return 0, fmt.Errorf("records: retention: %w", err)
	}
	n := 0
	for _, sub := range users {
		list, err := devs.List(ctx, sub)
		if err != nil {
			return n, fmt.Errorf("records: retention: %w", err)
		}
		for _, d := range list {
			if !d.LastSeen.Before(cutoff) {
				continue
			}
			if err := devs.Delete(ctx, sub, d.Sub.Endpoint); err != nil {
				return n, fmt.Errorf("records: retention: %w", err)
			}
			n++
		}
	}
	return n, nil
}

// sweepUsers forgets sign-in profiles last seen before cutoff.
func sweepUsers(ctx context.Context, ts store.Store, cutoff time.Time) (int, error) {
	users, err := announce.NewRepo(ts).Users(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("records: retention: %w", err)
	}
	n := 0
	for _, u := range users {
		if !u.LastSeen.Before(cutoff) {
			continue
		}
		if err := ts.HDel(ctx, "ann:users", u.Subject); err != nil {
			return n, fmt.Errorf("records: retention: %w", err)
		}
		n++
	}
	return n, nil
}
