package announce

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Keys in the tenant's store:
//
//	ann:<id>         the announcement as JSON
//	ann:index        sorted set of every id by publish time (archive, admin list)
//	ann:live         sorted set of ids not withdrawn, by expiry (never: +inf) — the current candidates
//	ann:due          sorted set of ids whose publication is not yet announced, by publish time
//	ann:read:<id>    hash subject -> first time the user saw it
//	ann:ack:<id>     hash subject -> time the user acknowledged it
//	ann:users        hash subject -> KnownUser as JSON
const (
	keyIndex = "ann:index"
	keyLive  = "ann:live"
	keyDue   = "ann:due"
	keyUsers = "ann:users"
)

// ErrNotFound is returned for an unknown announcement id.
var ErrNotFound = errors.New("announce: not found")

// never is the expiry score of an announcement without expiry.
const never = math.MaxInt64 / 1e9

// Repo stores one tenant's announcements. Its store must be tenant-scoped
// (store.ForTenant).
type Repo struct {
	st store.Store
}

// NewRepo returns the repository on a tenant-scoped store.
func NewRepo(st store.Store) *Repo { return &Repo{st: st} }

func keyOf(id string) string { return "ann:" + id }

// NewID returns a random announcement id.
func NewID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func score(t time.Time) float64 { return float64(t.Unix()) }

// Save stores a and updates its indexes.
func (r *Repo) Save(ctx context.Context, a *Announcement) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("announce: marshal: %w", err)
	}
	if err := r.st.Set(ctx, keyOf(a.ID), raw, 0); err != nil {
		return fmt.Errorf("announce: save %s: %w", a.ID, err)
	}
	if err := r.st.ZAdd(ctx, keyIndex, a.ID, score(a.PublishAt)); err != nil {
		return fmt.Errorf("announce: index: %w", err)
	}
	if a.WithdrawnAt != nil || a.Draft { // neither shown nor published
		if err := r.st.ZRem(ctx, keyLive, a.ID); err != nil {
			return fmt.Errorf("announce: index: %w", err)
		}
		return r.st.ZRem(ctx, keyDue, a.ID)
	}
	exp := float64(never)
	if a.ExpiresAt != nil {
		exp = score(*a.ExpiresAt)
	}
	if err := r.st.ZAdd(ctx, keyLive, a.ID, exp); err != nil {
		return fmt.Errorf("announce: index: %w", err)
	}
	return r.st.ZAdd(ctx, keyDue, a.ID, score(a.PublishAt))
}

// Get returns one announcement, or ErrNotFound.
func (r *Repo) Get(ctx context.Context, id string) (*Announcement, error) {
	raw, err := r.st.Get(ctx, keyOf(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("announce: get %s: %w", id, err)
	}
	var a Announcement
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("announce: decode %s: %w", id, err)
	}
	return &a, nil
}

// load returns the announcements of ids that still exist, in order.
func (r *Repo) load(ctx context.Context, ids []string) ([]*Announcement, error) {
	out := make([]*Announcement, 0, len(ids))
	for _, id := range ids {
		a, err := r.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// All returns every announcement, newest publish time first.
func (r *Repo) All(ctx context.Context) ([]*Announcement, error) {
	ids, err := r.st.ZRangeByScore(ctx, keyIndex, math.Inf(-1), math.Inf(1), 0, 0, true)
	if err != nil {
		return nil, fmt.Errorf("announce: list: %w", err)
	}
	return r.load(ctx, ids)
}

// published returns announcements published by now, newest first, in pages
// of count starting at offset (for the archive's scan).
func (r *Repo) published(ctx context.Context, now time.Time, offset, count int) ([]*Announcement, error) {
	ids, err := r.st.ZRangeByScore(ctx, keyIndex, math.Inf(-1), score(now), offset, count, true)
	if err != nil {
		return nil, fmt.Errorf("announce: list: %w", err)
	}
	return r.load(ctx, ids)
}

// unexpired returns the announcements that are not withdrawn and not expired at now.
func (r *Repo) unexpired(ctx context.Context, now time.Time) ([]*Announcement, error) {
	ids, err := r.st.ZRangeByScore(ctx, keyLive, score(now)+1, math.Inf(1), 0, 0, false)
	if err != nil {
		return nil, fmt.Errorf("announce: list: %w", err)
	}
	return r.load(ctx, ids)
}

// mark records the first time of subject in the hash at key.
func (r *Repo) mark(ctx context.Context, key, subject string, now time.Time) error {
	if _, err := r.st.HGet(ctx, key, subject); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("announce: %s: %w", key, err)
	}
	if err := r.st.HSet(ctx, key, subject, []byte(now.UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("announce: %s: %w", key, err)
	}
	return nil
}

// MarkRead records that subject saw id (the first time counts).
func (r *Repo) MarkRead(ctx context.Context, id, subject string, now time.Time) error {
	return r.mark(ctx, "ann:read:"+id, subject, now)
}

// Acknowledge records subject's "Zur Kenntnis genommen" (the first time
// counts); it also counts as read.
func (r *Repo) Acknowledge(ctx context.Context, id, subject string, now time.Time) error {
	if err := r.MarkRead(ctx, id, subject, now); err != nil {
		return err
	}
	return r.mark(ctx, "ann:ack:"+id, subject, now)
}

// times returns subject -> time of the hash at key.
func (r *Repo) times(ctx context.Context, key string) (map[string]time.Time, error) {
	// Paged: an announcement everyone read has one field per person.
	out := map[string]time.Time{}
	err := r.st.HScan(ctx, key, func(sub string, v []byte) error {
		if t, err := time.Parse(time.RFC3339, string(v)); err == nil {
			out[sub] = t
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("announce: %s: %w", key, err)
	}
	return out, nil
}

// Reads returns who saw id and when.
func (r *Repo) Reads(ctx context.Context, id string) (map[string]time.Time, error) {
	return r.times(ctx, "ann:read:"+id)
}

// Acks returns who acknowledged id and when.
func (r *Repo) Acks(ctx context.Context, id string) (map[string]time.Time, error) {
	return r.times(ctx, "ann:ack:"+id)
}

// AckedAt returns when subject acknowledged id (zero: not yet).
func (r *Repo) AckedAt(ctx context.Context, id, subject string) (time.Time, error) {
	v, err := r.st.HGet(ctx, "ann:ack:"+id, subject)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("announce: ack: %w", err)
	}
	t, _ := time.Parse(time.RFC3339, string(v))
	return t, nil
}
