package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// TenantPush is what the dispatcher needs of one tenant.
type TenantPush struct {
	ID       string
	Sender   *push.Sender
	Config   config.TenantPush
	Location *time.Location
	Lang     string // the tenant's default language for notification text
}

// Dispatcher turns announcements with push into web pushes: once per
// publication across all instances (a claim in the store), to the devices
// of the targeted users only, held back during quiet hours unless
// critical, and content-free where the tenant asks for it.
type Dispatcher struct {
	Store   store.Store // root store; tenants are scoped inside
	Tenants []TenantPush
	Now     func() time.Time
	Logger  *slog.Logger
	Workers int           // concurrent requests per fan-out (default 64)
	Tick    time.Duration // how often held-back pushes are checked (default 30 s)
}

const delayedKey = "push:delayed"

// Run subscribes to every tenant's announcement events and sends pushes
// until ctx ends; it returns when all fan-outs have finished.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range d.Tenants {
		msgs, cancel, err := store.ForTenant(d.Store, t.ID).Subscribe(ctx, announce.Channel)
		if err != nil {
			d.Logger.Error("push: subscribe to announcements", "tenant", t.ID, "err", err)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer cancel()
			for raw := range msgs {
				ev, err := announce.ParseEvent(raw)
				if err != nil || !ev.Push || (ev.Type != announce.EventPublished && ev.Type != announce.EventUpdated) {
					continue
				}
				if _, err := d.Send(ctx, t, ev.ID); err != nil && !errors.Is(err, context.Canceled) {
					d.Logger.Warn("push: send announcement", "tenant", t.ID, "id", ev.ID, "err", err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.releaseHeldBack(ctx)
	}()
	wg.Wait()
}

// Stats counts one fan-out's outcomes.
type Stats struct {
	Targets, Delivered, Gone, Failed int
	Held                             bool      // quiet hours: sent later
	Until                            time.Time // when held
	Claimed                          bool      // false: another instance sends it
}

// Send delivers announcement id of tenant t now, unless another instance
// already did or quiet hours hold it back.
func (d *Dispatcher) Send(ctx context.Context, t TenantPush, id string) (Stats, error) {
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
	if a.Severity != announce.SeverityCritical {
		if until := QuietUntil(t.Config.QuietHours, now, t.Location); !until.IsZero() {
			if err := st.ZAdd(ctx, delayedKey, id, float64(until.Unix())); err != nil {
				return Stats{}, fmt.Errorf("notify: hold back: %w", err)
			}
			return Stats{Held: true, Until: until}, nil
		}
	} else if !QuietUntil(t.Config.QuietHours, now, t.Location).IsZero() {
		_ = repo.Audit(ctx, announce.AuditEntry{At: now, Tenant: t.ID, Actor: "push", Action: "push-during-quiet-hours", ID: a.ID, Title: a.Title})
	}
	claim := "push:claim:" + id + ":" + strconv.FormatInt(a.UpdatedAt.UnixNano(), 10)
	ok, err := st.SetNX(ctx, claim, []byte{1}, 30*24*time.Hour)
	if err != nil {
		return Stats{}, fmt.Errorf("notify: claim: %w", err)
	}
	if !ok {
		return Stats{}, nil
	}
	targets, err := d.targets(ctx, st, repo, a)
	if err != nil {
		return Stats{}, err
	}
	stats := Stats{Claimed: true, Targets: len(targets)}
	payload, err := payloadOf(a, t)
	if err != nil {
		return stats, err
	}
	devices := NewDevices(st)
	workers := d.Workers
	if workers <= 0 {
		workers = 64
	}
	err = t.Sender.Deliver(ctx, targets, payload, optionsOf(a, now), workers, func(tg push.Target, r push.Result) {
		switch r.Outcome {
		case push.OutcomeDelivered:
			stats.Delivered++
		case push.OutcomeGone:
			stats.Gone++
			subject, _, _ := cutTarget(tg.ID)
			if err := devices.Delete(ctx, subject, tg.Sub.Endpoint); err != nil {
				d.Logger.Warn("push: prune device", "tenant", t.ID, "err", err)
			}
		default:
			stats.Failed++
		}
	})
	d.record(ctx, st, id, claim, stats)
	return stats, err
}

// targets are the devices of known users the announcement targets. Only
// users who have a device are read, not every known user.
func (d *Dispatcher) targets(ctx context.Context, st store.Store, repo *announce.Repo, a *announce.Announcement) ([]push.Target, error) {
	users, err := repo.Users(ctx)
	if err != nil {
		return nil, err
	}
	devices := NewDevices(st)
	withDevices, err := devices.Users(ctx)
	if err != nil {
		return nil, err
	}
	has := make(map[string]bool, len(withDevices))
	for _, s := range withDevices {
		has[s] = true
	}
	var out []push.Target
	for _, u := range users {
		if !has[u.Subject] || !a.Targets(u.Groups) {
			continue
		}
		list, err := devices.List(ctx, u.Subject)
		if err != nil {
			return nil, err
		}
		for _, dev := range list {
			out = append(out, push.Target{ID: u.Subject + "|" + dev.ID, Sub: dev.Sub})
		}
	}
	return out, nil
}

func cutTarget(id string) (subject, device string, ok bool) {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '|' {
			return id[:i], id[i+1:], true
		}
	}
	return id, "", false
}

const statsKey = "push:stats:"

// record keeps one fan-out's counts (one write, under its claim: a fan-out
// per publication or edit) for the admin figures.
func (d *Dispatcher) record(ctx context.Context, st store.Store, id, claim string, s Stats) {
	raw, _ := json.Marshal(map[string]int{"targets": s.Targets, "delivered": s.Delivered, "gone": s.Gone, "failed": s.Failed})
	if err := st.HSet(ctx, statsKey+id, claim, raw); err != nil {
		d.Logger.Warn("push: record figures", "err", err)
	}
}

// Figures returns an announcement's push counts for the admin page: the
// sum over its fan-outs, and the people whose device showed or opened it.
func Figures(ctx context.Context, tenantStore store.Store, id string) map[string]int {
	out := map[string]int{}
	if all, err := tenantStore.HGetAll(ctx, statsKey+id); err == nil {
		for _, raw := range all {
			var one map[string]int
			if json.Unmarshal(raw, &one) == nil {
				for k, v := range one {
					out[k] += v
				}
			}
		}
	}
	for _, kind := range []string{"shown", "clicked"} {
		if n, err := tenantStore.HLen(ctx, "push:"+kind+":"+id); err == nil {
			out[kind] = int(n)
		}
	}
	return out
}

// releaseHeldBack sends held-back pushes when quiet hours end.
func (d *Dispatcher) releaseHeldBack(ctx context.Context) {
	tick := d.Tick
	if tick <= 0 {
		tick = 30 * time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.ReleaseDue(ctx)
		}
	}
}

// ReleaseDue sends every held-back push whose quiet hours are over.
func (d *Dispatcher) ReleaseDue(ctx context.Context) {
	now := d.now()
	for _, t := range d.Tenants {
		st := store.ForTenant(d.Store, t.ID)
		ids, err := st.ZRangeByScore(ctx, delayedKey, 0, float64(now.Unix()), 0, 0, false)
		if err != nil {
			continue
		}
		for _, id := range ids {
			_ = st.ZRem(ctx, delayedKey, id)
			if _, err := d.Send(ctx, t, id); err != nil {
				d.Logger.Warn("push: send held-back announcement", "tenant", t.ID, "id", id, "err", err)
			}
		}
	}
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// payloadOf is the message, built once per fan-out. Content-free: only the
// id (the service worker fetches the text from Pforte), so nothing readable
// passes the push services.
func payloadOf(a *announce.Announcement, t TenantPush) ([]byte, error) {
	msg := map[string]string{"id": a.ID, "tag": "ann-" + a.ID, "url": "/announcements#ann-" + a.ID}
	if !t.Config.ContentFree {
		txt := a.In(t.Lang)
		msg["title"] = txt.Title
		msg["body"] = excerpt(txt.Body, 180)
	}
	raw, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("notify: payload: %w", err)
	}
	return raw, nil
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// optionsOf: critical is urgent; the topic makes an edited announcement
// replace its earlier notification; a push outlives neither a day nor the
// announcement.
func optionsOf(a *announce.Announcement, now time.Time) push.Options {
	ttl := 24 * time.Hour
	if a.ExpiresAt != nil && a.ExpiresAt.Sub(now) < ttl {
		ttl = max(a.ExpiresAt.Sub(now), time.Minute)
	}
	urgency := push.UrgencyNormal
	switch a.Severity {
	case announce.SeverityCritical:
		urgency = push.UrgencyHigh
	case announce.SeverityInfo:
		urgency = push.UrgencyLow
	}
	sum := sha256.Sum256([]byte(a.ID))
	return push.Options{TTL: ttl, Urgency: urgency, Topic: base64.RawURLEncoding.EncodeToString(sum[:24])}
}

// RecordSeen notes that subject's device showed or opened (kind "shown" or
// "clicked") the push of announcement id; each user counts once.
func RecordSeen(ctx context.Context, tenantStore store.Store, id, kind, subject string, now time.Time) error {
	if err := tenantStore.HSet(ctx, "push:"+kind+":"+id, subject, []byte(now.UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("notify: record %s: %w", kind, err)
	}
	return nil
}
