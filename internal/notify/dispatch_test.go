package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

type pushEnv struct {
	root   store.Store
	st     store.Store
	repo   *announce.Repo
	srv    *pushtest.Server
	keys   *push.VAPIDKeys
	tenant TenantPush
	clock  time.Time
	d      *Dispatcher
}

func newPushEnv(t *testing.T, cfg config.TenantPush) *pushEnv {
	t.Helper()
	root, err := store.Open(context.Background(), testenv.Server(t, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	id := fmt.Sprintf("pushdispatch-%d", time.Now().UnixNano())
	e := &pushEnv{root: root, st: store.ForTenant(root, id), srv: pushtest.NewServer(t)}
	e.repo = announce.NewRepo(e.st)
	e.keys, _ = push.GenerateVAPIDKeys()
	sender, err := push.NewSender(push.Config{Keys: e.keys, Subject: "it@musterstadt.example", Client: e.srv.Client(), BaseDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	e.tenant = TenantPush{ID: id, Sender: sender, Config: cfg, Location: berlin, Lang: "de"}
	e.clock = time.Date(2026, 11, 23, 10, 0, 0, 0, berlin) // a Monday morning
	e.d = &Dispatcher{Store: root, Tenants: []TenantPush{e.tenant}, Now: func() time.Time { return e.clock },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return e
}

func (e *pushEnv) device(t *testing.T, subject string) push.Subscription {
	sub := e.srv.NewSubscription(e.keys.PublicKey())
	if _, err := NewDevices(e.st).Save(context.Background(), subject, sub, e.clock); err != nil {
		t.Fatal(err)
	}
	return sub
}

func (e *pushEnv) announcement(t *testing.T, severity string, groups ...string) *announce.Announcement {
	a := &announce.Announcement{ID: announce.NewID(), Tenant: e.tenant.ID, Title: "Störung E-Mail", Body: "Der Mailserver ist gestört. Wir arbeiten daran.",
		Severity: severity, Groups: groups, PublishAt: e.clock.Add(-time.Minute), Push: true, CreatedAt: e.clock, UpdatedAt: e.clock}
	if err := e.repo.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// payload flattens a declarative push message to the fields a person sees.
func payload(t *testing.T, m pushtest.Message) map[string]string {
	var p Declarative
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.WebPush != 8030 {
		t.Fatalf("payload is not a declarative push message: %q", m.Payload)
	}
	n := p.Notification
	return map[string]string{"title": n.Title, "body": n.Body, "id": n.Data.ID, "url": n.Data.URL, "tag": n.Tag, "navigate": n.Navigate}
}

// Only the targeted users' devices get the push, once, decrypted and
// verified by the strict push service; 410 prunes the device.
func TestDispatchTargetsOncePrunesGone(t *testing.T) {
	e := newPushEnv(t, config.TenantPush{})
	ctx := context.Background()
	_ = e.repo.SeeUser(ctx, "sub-anna", "Anna Schmidt", []string{"staff", "hr"}, e.clock)
	_ = e.repo.SeeUser(ctx, "sub-carla", "Carla Özdemir", []string{"staff"}, e.clock)
	phone, old := e.device(t, "sub-anna"), e.device(t, "sub-anna")
	carla := e.device(t, "sub-carla")
	e.srv.Answer(old, 410, 1, "")
	a := e.announcement(t, "critical", "hr")

	stats, err := e.d.Send(ctx, e.tenant, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stats.Claimed || stats.Targets != 2 || stats.Delivered != 1 || stats.Gone != 1 {
		t.Fatalf("stats %+v, want 2 targets (Anna's devices), 1 delivered, 1 gone", stats)
	}
	msgs := e.srv.Messages(phone)
	if len(msgs) != 1 {
		t.Fatalf("Anna's phone got %d messages, want 1", len(msgs))
	}
	p := payload(t, msgs[0])
	if p["title"] != "Störung E-Mail" || p["url"] != "/announcements#ann-"+a.ID || msgs[0].Urgency != "high" || msgs[0].Topic == "" || msgs[0].TTL <= 0 {
		t.Errorf("message %+v payload %v: want title, url, urgency high for critical, a topic and a TTL", msgs[0], p)
	}
	if n := len(e.srv.Messages(carla)); n != 0 {
		t.Errorf("Carla (not in hr) got %d pushes", n)
	}
	if list, _ := NewDevices(e.st).List(ctx, "sub-anna"); len(list) != 1 {
		t.Errorf("after 410 Anna has %d devices, want 1", len(list))
	}
	// A second instance handling the same event sends nothing.
	again, err := e.d.Send(ctx, e.tenant, a.ID)
	if err != nil || again.Claimed || len(e.srv.Messages(phone)) != 1 {
		t.Errorf("second send: %+v, %v; phone has %d messages, want still 1", again, err, len(e.srv.Messages(phone)))
	}
	if f := Figures(ctx, e.st, a.ID); f["delivered"] != 1 || f["gone"] != 1 {
		t.Errorf("figures %v", f)
	}
}

// Content-free: nothing readable passes the push service.
func TestDispatchContentFree(t *testing.T) {
	e := newPushEnv(t, config.TenantPush{ContentFree: true})
	ctx := context.Background()
	_ = e.repo.SeeUser(ctx, "sub-anna", "Anna Schmidt", []string{"staff"}, e.clock)
	phone := e.device(t, "sub-anna")
	a := e.announcement(t, "warning")
	if _, err := e.d.Send(ctx, e.tenant, a.ID); err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.Messages(phone)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	p := payload(t, msgs[0])
	if p["id"] != a.ID || p["title"] != "Neue Meldung der IT" || p["body"] != "" {
		t.Errorf("content-free payload %v: want only the id (and its url/tag)", p)
	}
	for _, word := range []string{"Störung", "Mailserver"} {
		if json.Valid(msgs[0].Payload) && string(msgs[0].Payload) != "" && contains(msgs[0].Payload, word) {
			t.Errorf("content-free payload contains %q", word)
		}
	}
}

func contains(b []byte, s string) bool {
	return len(s) > 0 && string(b) != "" && (len(b) >= len(s)) && (indexOf(string(b), s) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// Quiet hours: a non-critical push waits for the morning; a critical one
// goes out at once and is written to the audit log.
func TestDispatchQuietHours(t *testing.T) {
	e := newPushEnv(t, config.TenantPush{QuietHours: &config.QuietHours{Start: "18:00", End: "07:00", Weekends: true}})
	ctx := context.Background()
	_ = e.repo.SeeUser(ctx, "sub-anna", "Anna Schmidt", []string{"staff"}, e.clock)
	phone := e.device(t, "sub-anna")
	e.clock = time.Date(2026, 11, 23, 20, 0, 0, 0, e.tenant.Location) // Monday evening
	info := e.announcement(t, "info")
	stats, err := e.d.Send(ctx, e.tenant, info.ID)
	if err != nil || !stats.Held || len(e.srv.Messages(phone)) != 0 {
		t.Fatalf("info at 20:00: %+v %v, %d messages; want held back", stats, err, len(e.srv.Messages(phone)))
	}
	critical := e.announcement(t, "critical")
	if stats, err := e.d.Send(ctx, e.tenant, critical.ID); err != nil || stats.Delivered != 1 {
		t.Fatalf("critical at 20:00: %+v %v; want delivered", stats, err)
	}
	log, _ := e.repo.AuditLog(ctx, 10)
	if len(log) == 0 || log[0].Action != "push-during-quiet-hours" || log[0].ID != critical.ID {
		t.Errorf("audit log %+v: want the critical push during quiet hours", log)
	}
	e.clock = time.Date(2026, 11, 24, 6, 59, 0, 0, e.tenant.Location)
	e.d.ReleaseDue(ctx)
	if n := len(e.srv.Messages(phone)); n != 1 {
		t.Fatalf("before 07:00: %d messages, want only the critical one", n)
	}
	e.clock = time.Date(2026, 11, 24, 7, 0, 30, 0, e.tenant.Location)
	e.d.ReleaseDue(ctx)
	msgs := e.srv.Messages(phone)
	if len(msgs) != 2 || payload(t, msgs[1])["id"] != info.ID {
		t.Errorf("after 07:00: %d messages, want the held-back info too", len(msgs))
	}
}

// Two cities on one store: the same person (same subject) subscribed in
// both gets city A's push only on the device registered with city A. Both
// devices sit on the same push service, which both cities' senders trust, so
// only Pforte's tenant isolation keeps A's push off B's device.
func TestDispatchNeverCrossesTenants(t *testing.T) {
	a := newPushEnv(t, config.TenantPush{})
	b := newPushEnv(t, config.TenantPush{})
	b.root, b.st, b.srv = a.root, store.ForTenant(a.root, b.tenant.ID), a.srv
	b.repo = announce.NewRepo(b.st)
	senderB, err := push.NewSender(push.Config{Keys: b.keys, Subject: "it@nachbarstadt.example", Client: a.srv.Client(), BaseDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	b.tenant.Sender = senderB
	ctx := context.Background()
	for _, e := range []*pushEnv{a, b} {
		_ = e.repo.SeeUser(ctx, "sub-anna", "Anna Schmidt", []string{"staff"}, e.clock)
	}
	devA, devB := a.device(t, "sub-anna"), b.device(t, "sub-anna")
	d := &Dispatcher{Store: a.root, Tenants: []TenantPush{a.tenant, b.tenant}, Now: func() time.Time { return a.clock }, Logger: a.d.Logger}

	annA := a.announcement(t, "warning")
	if _, err := d.Send(ctx, a.tenant, annA.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Send(ctx, b.tenant, annA.ID); err == nil {
		t.Error("tenant B found tenant A's announcement")
	}
	// A push signed with A's key for B's device is refused by the service
	// (wrong VAPID key) but is still a leak: no request may be refused.
	if a.srv.Attempts(devA) != 1 || a.srv.Attempts(devB) != 0 || len(a.srv.Rejections()) != 0 {
		t.Errorf("after A's push: A's device got %d requests, B's device %d, refused requests %+v; want 1, 0, none",
			a.srv.Attempts(devA), a.srv.Attempts(devB), a.srv.Rejections())
	}
	// The other way round: B's push reaches B's device only (so B's device
	// was reachable all along).
	annB := b.announcement(t, "warning")
	if _, err := d.Send(ctx, b.tenant, annB.ID); err != nil {
		t.Fatal(err)
	}
	if len(a.srv.Messages(devB)) != 1 || a.srv.Attempts(devA) != 1 || len(a.srv.Rejections()) != 0 {
		t.Errorf("after B's push: B's device got %d messages, A's device %d requests, refused %+v; want 1, 1, none",
			len(a.srv.Messages(devB)), a.srv.Attempts(devA), a.srv.Rejections())
	}
}

// A user whose provider sends no groups is in no group: a group's push
// never reaches their phone, a push for everyone does.
func TestDispatchUserWithoutGroups(t *testing.T) {
	e := newPushEnv(t, config.TenantPush{})
	ctx := context.Background()
	_ = e.repo.SeeUser(ctx, "sub-doris", "Doris Lange", nil, e.clock)
	phone := e.device(t, "sub-doris")
	for _, groups := range [][]string{{"hr"}, {"it-admins", "staff"}} {
		a := e.announcement(t, "critical", groups...)
		if stats, err := e.d.Send(ctx, e.tenant, a.ID); err != nil || stats.Targets != 0 {
			t.Errorf("push for %v: %+v %v; want no targets", groups, stats, err)
		}
	}
	if n := e.srv.Attempts(phone); n != 0 {
		t.Errorf("Doris's phone got %d pushes meant for groups she is not in", n)
	}
	all := e.announcement(t, "warning")
	if stats, err := e.d.Send(ctx, e.tenant, all.ID); err != nil || stats.Delivered != 1 || len(e.srv.Messages(phone)) != 1 {
		t.Errorf("push for everyone: %+v %v, phone has %d messages; want 1 delivered", stats, err, len(e.srv.Messages(phone)))
	}
}
