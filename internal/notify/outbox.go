package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// The outbox is a durable work queue in the tenant's store (see
// store.Store's Queue methods). announce.Repo.Notify adds one item per push
// event; an instance that leases it plans the publication: it stores the
// payload once and adds one chunk item per ChunkSize targets. Any instance
// leases chunks, delivers, records each target's outcome and acknowledges;
// a chunk whose instance died is retaken when its lease runs out. Targets
// that must be retried go back in as a chunk for later.
const outboxQueue = announce.PushQueue

// DefaultChunkSize is how many targets one outbox item holds: small enough
// that a crash repeats little, large enough that 100,000 devices are a few
// hundred items.
const DefaultChunkSize = 500

// outboxItem is an announcement event (what announce puts in) or a chunk.
type outboxItem struct {
	Type  string `json:"type,omitempty"`
	ID    string `json:"id,omitempty"`
	Push  bool   `json:"push,omitempty"`
	Chunk *chunk `json:"chunk,omitempty"`
}

// chunk is part of one publication's targets.
type chunk struct {
	Pub     string        `json:"pub"` // publication: announcement id and version
	Ann     string        `json:"ann"`
	No      int           `json:"no"`
	Attempt int           `json:"attempt"` // 0 for the first delivery
	Targets []push.Target `json:"targets"`
}

// publication is what every chunk of one publication shares, stored once.
type publication struct {
	Ann      string        `json:"ann"`
	Payload  []byte        `json:"payload"`
	Type     string        `json:"type"` // payload media type
	Urgency  push.Urgency  `json:"urgency"`
	Topic    string        `json:"topic"`
	Deadline time.Time     `json:"deadline"` // TTL runs out: targets not reached by then expire
	TTL      time.Duration `json:"ttl"`
}

func pubKey(pub string) string { return "push:pub:" + pub }

// plan turns announcement id into delivery work, once per version
// (publication or re-notifying edit). retaken: an earlier planner died, so
// its claim must not stop this one (chunks it added twice are harmless: the
// per-target records skip what was delivered).
func (d *Dispatcher) plan(ctx context.Context, t TenantPush, id string, retaken bool) (Stats, error) {
	st := store.ForTenant(d.Store, t.ID)
	repo := announce.NewRepo(st)
	a, err := repo.Get(ctx, id)
	if err != nil {
		return Stats{}, fmt.Errorf("notify: load announcement: %w", err)
	}
	now := d.now()
	if !a.Push || a.Status(now) != announce.StatusLive {
		return Stats{}, nil
	}
	quietUntil := QuietUntil(t.Config.QuietHours, now, t.Location)
	if a.Severity != announce.SeverityCritical && !quietUntil.IsZero() {
		// Released into the outbox by ReleaseDue when the hours are over.
		if err := st.ZAdd(ctx, delayedKey, id, float64(quietUntil.Unix())); err != nil {
			return Stats{}, fmt.Errorf("notify: hold back: %w", err)
		}
		return Stats{Held: true, Until: quietUntil}, nil
	}
	if !quietUntil.IsZero() {
		_ = repo.Audit(ctx, announce.AuditEntry{At: now, Tenant: t.ID, Actor: "push", Action: "push-during-quiet-hours", ID: a.ID, Title: a.Title})
	}
	pub := id + ":" + strconv.FormatInt(a.UpdatedAt.UnixNano(), 10)
	if !retaken {
		ok, err := st.SetNX(ctx, "push:claim:"+pub, []byte{1}, 30*24*time.Hour)
		if err != nil {
			return Stats{}, fmt.Errorf("notify: claim: %w", err)
		}
		if !ok {
			return Stats{}, nil
		}
	}
	targets, err := d.targets(ctx, st, repo, a)
	if err != nil {
		return Stats{}, err
	}
	p, err := d.publicationOf(a, t, now)
	if err != nil {
		return Stats{}, err
	}
	raw, _ := json.Marshal(p)
	keep := p.TTL + 48*time.Hour
	if err := st.Set(ctx, pubKey(pub), raw, keep); err != nil {
		return Stats{}, fmt.Errorf("notify: save publication: %w", err)
	}
	if err := st.HSet(ctx, figKey(id), pub+"|targets", []byte(strconv.Itoa(len(targets)))); err != nil {
		return Stats{}, fmt.Errorf("notify: save publication: %w", err)
	}
	_ = st.Expire(ctx, figKey(id), 400*24*time.Hour) // figures outlive the announcement's usual life
	if err := d.addChunks(ctx, st, pub, id, targets); err != nil {
		return Stats{}, err
	}
	return Stats{Claimed: true, Targets: len(targets)}, nil
}

// addChunks adds the chunk items, a few at a time (one round trip each).
func (d *Dispatcher) addChunks(ctx context.Context, st store.Store, pub, id string, targets []push.Target) error {
	size := d.ChunkSize
	if size <= 0 {
		size = DefaultChunkSize
	}
	var batch [][]byte
	for no, start := 0, 0; start < len(targets); no, start = no+1, start+size {
		raw, err := encodeItem(outboxItem{Chunk: &chunk{Pub: pub, Ann: id, No: no, Targets: targets[start:min(start+size, len(targets))]}})
		if err != nil {
			return fmt.Errorf("notify: encode chunk: %w", err)
		}
		batch = append(batch, raw)
		if len(batch) == 20 || start+size >= len(targets) {
			if err := st.QueueAdd(ctx, outboxQueue, time.Time{}, batch...); err != nil {
				return fmt.Errorf("notify: add chunks: %w", err)
			}
			batch = batch[:0]
		}
	}
	return nil
}

// publicationOf builds the payload and options once per publication. The
// TTL is a day (Dispatcher.TTL), never beyond the announcement's expiry.
func (d *Dispatcher) publicationOf(a *announce.Announcement, t TenantPush, now time.Time) (publication, error) {
	payload, err := Payload(a, t, d.unread(a))
	if err != nil {
		return publication{}, err
	}
	ttl := d.TTL
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	opts := optionsOf(a, now, ttl)
	return publication{Ann: a.ID, Payload: payload, Type: DeclarativeType, Urgency: opts.Urgency, Topic: opts.Topic,
		Deadline: now.Add(opts.TTL), TTL: opts.TTL}, nil
}

// unread is the badge a push sets: at least this announcement. The service
// worker recounts from Pforte when it can.
func (d *Dispatcher) unread(*announce.Announcement) int { return 1 }
