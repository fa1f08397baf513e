package notify

import (
	"context"
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

// outboxEnv is one tenant on a real store with the strict push service,
// on the real clock (the outbox's retries wait in real time).
type outboxEnv struct {
	st     store.Store
	repo   *announce.Repo
	srv    *pushtest.Server
	keys   *push.VAPIDKeys
	tenant TenantPush
	d      *Dispatcher
}

func outboxStores(t *testing.T) map[string]store.Store {
	bolt, err := store.NewBolt(t.TempDir()+"/p.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	rs, err := store.Open(context.Background(), testenv.Server(t, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	return map[string]store.Store{"bbolt": bolt, "redis": rs}
}

func newOutboxEnv(t *testing.T, root store.Store, cfg config.TenantPush) *outboxEnv {
	t.Helper()
	id := fmt.Sprintf("outbox-%d", time.Now().UnixNano())
	e := &outboxEnv{st: store.ForTenant(root, id), srv: pushtest.NewServer(t)}
	e.repo = announce.NewRepo(e.st)
	e.keys, _ = push.GenerateVAPIDKeys()
	sender, err := push.NewSender(push.Config{Keys: e.keys, Subject: "it@musterstadt.example", Client: e.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	e.tenant = TenantPush{ID: id, Sender: sender, Config: cfg, Lang: "de", Origin: "https://portal.musterstadt.example"}
	e.d = &Dispatcher{Store: root, Tenants: []TenantPush{e.tenant}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Lease: time.Second, Poll: 100 * time.Millisecond, RetryBase: 50 * time.Millisecond}
	return e
}

// devices gives n users one device each.
func (e *outboxEnv) devices(t *testing.T, n int) []push.Subscription {
	t.Helper()
	ctx := context.Background()
	subs := make([]push.Subscription, n)
	for i := range subs {
		subject := fmt.Sprintf("sub-%04d", i)
		if err := e.repo.SeeUser(ctx, subject, "Person "+subject, []string{"staff"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		subs[i] = e.srv.NewSubscription(e.keys.PublicKey())
		if _, err := NewDevices(e.st).Save(ctx, subject, subs[i], time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return subs
}

func (e *outboxEnv) announcement(t *testing.T) *announce.Announcement {
	t.Helper()
	now := time.Now()
	a := &announce.Announcement{ID: announce.NewID(), Tenant: e.tenant.ID, Title: "Phishing-Welle", Body: "Bitte keine Links in Mails von 'IT-Support' öffnen.",
		Severity: "critical", PublishAt: now.Add(-time.Minute), Push: true, CreatedAt: now, UpdatedAt: now}
	if err := e.repo.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// runDispatcher runs e.d like a server instance until the test ends.
func (e *outboxEnv) runDispatcher(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitFor polls cond (the receiver's or the store's state) until it holds.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A push service that answers 429 with Retry-After, then 201: the device
// gets the message after the wait it asked for, counted delivered, not
// failed; the service was not asked again before the wait.
func TestOutboxHonoursRetryAfterThenDelivers(t *testing.T) {
	e := newOutboxEnv(t, outboxStores(t)["redis"], config.TenantPush{})
	phone := e.devices(t, 1)[0]
	e.srv.Answer(phone, 429, 2, "1")
	a := e.announcement(t)
	e.runDispatcher(t)
	start := time.Now()
	if err := e.repo.Notify(context.Background(), announce.EventPublished, a); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the phone never got the message after 429s", 30*time.Second, func() bool { return len(e.srv.Messages(phone)) == 1 })
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("delivered after %s although the service asked twice to wait 1 s", took)
	}
	if n := e.srv.Attempts(phone); n != 3 {
		t.Errorf("service asked %d times, want 3 (two 429s, one 201)", n)
	}
	waitFor(t, "figures", 5*time.Second, func() bool { return Figures(context.Background(), e.st, a.ID)["delivered"] == 1 })
	f := Figures(context.Background(), e.st, a.ID)
	if f["failed"] != 0 || f["retrying"] != 0 || f["expired"] != 0 || f["pending"] != 0 || f["targets"] != 1 {
		t.Errorf("figures %v: want 1 target, delivered, nothing failed or open", f)
	}
}

// A push service that answers 503 until the TTL has passed: the target
// counts as expired (not failed, not delivered) and keeps its device.
func TestOutboxExpiresAfterTTL(t *testing.T) {
	e := newOutboxEnv(t, outboxStores(t)["redis"], config.TenantPush{})
	phone := e.devices(t, 1)[0]
	e.srv.Answer(phone, 503, -1, "")
	e.d.TTL, e.d.RetryBase = 3*time.Second, 200*time.Millisecond
	a := e.announcement(t)
	e.runDispatcher(t)
	if err := e.repo.Notify(context.Background(), announce.EventPublished, a); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the target never counted expired", 30*time.Second, func() bool { return Figures(context.Background(), e.st, a.ID)["expired"] == 1 })
	f := Figures(context.Background(), e.st, a.ID)
	if f["delivered"] != 0 || f["failed"] != 0 || f["retrying"] != 0 {
		t.Errorf("figures %v: want only expired", f)
	}
	if n := e.srv.Attempts(phone); n < 2 {
		t.Errorf("service asked %d times: the 503 was not retried", n)
	}
	if list, _ := NewDevices(e.st).List(context.Background(), "sub-0000"); len(list) != 1 {
		t.Error("a device whose service was down was deleted")
	}
}

// An instance dies holding a chunk: after its lease runs out another one
// takes the chunk over and skips the targets the dead one recorded
// delivered; only those it sent after its last record get the message
// twice, with the same Topic (so the device replaces, not repeats, it).
func TestOutboxRetakenChunkSkipsDelivered(t *testing.T) {
	for name, root := range outboxStores(t) {
		t.Run(name, func(t *testing.T) {
			e := newOutboxEnv(t, root, config.TenantPush{})
			e.d.ChunkSize = 10
			subs := e.devices(t, 30)
			a := e.announcement(t)
			ctx := context.Background()
			if s, err := e.d.plan(ctx, e.tenant, a.ID, false); err != nil || s.Targets != 30 {
				t.Fatalf("plan: %+v, %v", s, err)
			}
			// The instance that dies: it leases a chunk, records 5 targets
			// delivered, sends 2 more and is killed before its next record.
			items, err := e.st.QueueLease(ctx, outboxQueue, "dead", time.Second, 1)
			if err != nil || len(items) != 1 {
				t.Fatalf("lease: %v, %v", items, err)
			}
			it, _ := decodeItem(items[0].Data)
			p, _ := loadPublication(ctx, e.st, it.Chunk.Pub)
			opts := push.Options{TTL: time.Hour, Topic: p.Topic, ContentType: p.Type}
			rec := record{}
			for i, tg := range it.Chunk.Targets[:7] {
				if _, err := e.tenant.Sender.Send(ctx, tg.Sub, p.Payload, opts); err != nil {
					t.Fatal(err)
				}
				if i < 5 {
					rec[tg.ID] = recDelivered
				}
			}
			if err := rec.save(ctx, e.st, a.ID, it.Chunk.Pub, it.Chunk.No, time.Hour); err != nil {
				t.Fatal(err)
			}
			inFlight := map[string]bool{}
			for _, tg := range it.Chunk.Targets[5:7] {
				inFlight[tg.Sub.Endpoint] = true
			}
			e.runDispatcher(t)
			waitFor(t, "not every device got the message", 30*time.Second, func() bool {
				for _, s := range subs {
					if len(e.srv.Messages(s)) == 0 {
						return false
					}
				}
				return true
			})
			waitFor(t, "figures", 5*time.Second, func() bool { return Figures(ctx, e.st, a.ID)["delivered"] == 30 })
			for _, s := range subs {
				msgs := e.srv.Messages(s)
				want := 1
				if inFlight[s.Endpoint] {
					want = 2
				}
				if len(msgs) != want {
					t.Errorf("%s got %d messages, want %d", s.Endpoint[len(s.Endpoint)-6:], len(msgs), want)
				}
				for _, m := range msgs {
					if m.Topic != p.Topic {
						t.Errorf("repeat with topic %q, want %q", m.Topic, p.Topic)
					}
				}
			}
		})
	}
}

// No instance listens when the announcement is published (the pub/sub
// message is lost): an instance that starts later delivers it from the
// outbox.
func TestOutboxDeliversWithoutWakeUp(t *testing.T) {
	for name, root := range outboxStores(t) {
		t.Run(name, func(t *testing.T) {
			e := newOutboxEnv(t, root, config.TenantPush{})
			subs := e.devices(t, 3)
			a := e.announcement(t)
			if err := e.repo.Notify(context.Background(), announce.EventPublished, a); err != nil {
				t.Fatal(err)
			}
			e.runDispatcher(t)
			waitFor(t, "the push published while no instance listened was never sent", 30*time.Second, func() bool {
				for _, s := range subs {
					if len(e.srv.Messages(s)) != 1 {
						return false
					}
				}
				return true
			})
		})
	}
}

// A push service that fails for everyone is backed off as a whole: after
// breakerAfter transient failures in a row the rest of its devices wait
// for the retry instead of each being asked.
func TestOutboxBacksOffServiceThatIsDown(t *testing.T) {
	e := newOutboxEnv(t, outboxStores(t)["redis"], config.TenantPush{})
	e.d.Workers, e.d.RetryBase = 1, time.Hour
	subs := e.devices(t, 2*breakerAfter)
	for _, s := range subs {
		e.srv.Answer(s, 503, -1, "")
	}
	a := e.announcement(t)
	stats, err := e.d.Send(context.Background(), e.tenant, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for _, s := range subs {
		asked += e.srv.Attempts(s)
	}
	if asked != breakerAfter {
		t.Errorf("the down service was asked %d times for %d devices, want %d then a pause", asked, len(subs), breakerAfter)
	}
	if stats.Retrying != len(subs) || stats.Failed != 0 {
		t.Errorf("stats %+v: want every device waiting for a retry, none failed", stats)
	}
}
