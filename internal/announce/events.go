package announce

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Channel is the tenant-scoped pub/sub channel of announcement events. The
// live view (SSE) and the push worker subscribe to it on the tenant's store.
const Channel = "ann:events"

// PushQueue is the tenant-scoped durable work queue (the push outbox) that
// receives every event that must send a push: published or updated with
// push on. The push dispatcher (internal/notify) leases from it; the
// Channel message is only its wake-up, so a push is never lost when no
// instance listens at the moment of publication.
const PushQueue = "push:outbox"

// Event types.
const (
	EventPublished = "published" // became visible (exactly once per publication)
	EventUpdated   = "updated"   // a visible announcement was edited
	EventWithdrawn = "withdrawn" // taken back by IT
	EventExpired   = "expired"   // reached expires_at (exactly once)
)

// Event is what Channel carries. It names the announcement but holds no
// content: subscribers load it and check targeting themselves.
type Event struct {
	Type   string   `json:"type"`
	ID     string   `json:"id"`
	Groups []string `json:"groups"`
	Push   bool     `json:"push"`
}

// ParseEvent decodes a message from Channel.
func ParseEvent(raw []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, fmt.Errorf("announce: event: %w", err)
	}
	return e, nil
}

// Notify publishes an event about a on the tenant's channel; an event that
// must send a push is first stored in PushQueue.
func (r *Repo) Notify(ctx context.Context, typ string, a *Announcement) error {
	raw, _ := json.Marshal(Event{Type: typ, ID: a.ID, Groups: a.Groups, Push: a.Push})
	if a.Push && (typ == EventPublished || typ == EventUpdated) {
		if err := r.st.QueueAdd(ctx, PushQueue, time.Time{}, raw); err != nil {
			return fmt.Errorf("announce: notify %s: %w", typ, err)
		}
	}
	if err := r.st.Publish(ctx, Channel, raw); err != nil {
		return fmt.Errorf("announce: notify %s: %w", typ, err)
	}
	return nil
}

// PublishDue announces every publication that is due at now, each exactly
// once however many instances call it at the same time: a marker set with
// SetNX (keyed by id and publish time, so a rescheduled announcement is
// announced again) decides who sends the event. It also sends one expired
// event per expiry. It returns how many events this caller sent.
func (r *Repo) PublishDue(ctx context.Context, now time.Time) (int, error) {
	ids, err := r.st.ZRangeByScore(ctx, keyDue, 0, score(now), 0, 0, false)
	if err != nil {
		return 0, fmt.Errorf("announce: due: %w", err)
	}
	sent := 0
	for _, id := range ids {
		a, err := r.Get(ctx, id)
		if err != nil {
			_ = r.st.ZRem(ctx, keyDue, id)
			continue
		}
		if now.Before(a.PublishAt) || a.WithdrawnAt != nil || a.Draft {
			continue // rescheduled meanwhile: Save re-scored it
		}
		if ok, err := r.once(ctx, "ann:published:"+id+":"+unixNano(a.PublishAt)); err != nil {
			return sent, err
		} else if ok && a.Status(now) == StatusLive {
			if err := r.Notify(ctx, EventPublished, a); err != nil {
				return sent, err
			}
			sent++
		}
		if err := r.st.ZRem(ctx, keyDue, id); err != nil {
			return sent, fmt.Errorf("announce: due: %w", err)
		}
	}
	n, err := r.expireDue(ctx, now)
	return sent + n, err
}

// expireDue sends one expired event per announcement whose expiry passed.
func (r *Repo) expireDue(ctx context.Context, now time.Time) (int, error) {
	ids, err := r.st.ZRangeByScore(ctx, keyLive, 0, score(now), 0, 0, false)
	if err != nil {
		return 0, fmt.Errorf("announce: expiry: %w", err)
	}
	sent := 0
	for _, id := range ids {
		a, err := r.Get(ctx, id)
		if err != nil || a.ExpiresAt == nil || now.Before(*a.ExpiresAt) {
			continue
		}
		if ok, err := r.once(ctx, "ann:expired:"+id+":"+unixNano(*a.ExpiresAt)); err != nil {
			return sent, err
		} else if ok {
			if err := r.Notify(ctx, EventExpired, a); err != nil {
				return sent, err
			}
			sent++
		}
		if err := r.st.ZRem(ctx, keyLive, id); err != nil {
			return sent, fmt.Errorf("announce: expiry: %w", err)
		}
	}
	return sent, nil
}

// once reports whether this caller is the first to claim marker.
func (r *Repo) once(ctx context.Context, marker string) (bool, error) {
	ok, err := r.st.SetNX(ctx, marker, []byte("1"), 0)
	if err != nil {
		return false, fmt.Errorf("announce: claim %s: %w", marker, err)
	}
	return ok, nil
}

func unixNano(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }
