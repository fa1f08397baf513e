package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// outboxCity is one tenant served by real Pforte processes on one Redis,
// pushing to the strict push service of this test over https (STACK.md:
// the processes trust its certificate through SSL_CERT_FILE).
type outboxCity struct {
	id, cfg, bundle, bin string
	root                 *store.Redis
	st                   store.Store
	srv                  *pushtest.Server
	subs                 []push.Subscription
}

// pforteBinary builds this package into the test's temp dir (the go build
// cache makes the second build a link step).
func pforteBinary(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pforte")
	if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

func newOutboxCity(t *testing.T, users, devicesEach int) *outboxCity {
	t.Helper()
	o := testOIDC(t)
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	st, err := store.Open(context.Background(), redisURL, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &outboxCity{id: uniqueID("outbox"), root: st.(*store.Redis), bin: pforteBinary(t), srv: pushtest.NewServer(t)}
	c.st = store.ForTenant(st, c.id)
	keys, _ := push.GenerateVAPIDKeys()
	dir := t.TempDir()
	system, _ := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	c.bundle = writeFile(t, dir, "ca.pem", string(system)+"\n"+string(c.srv.CertificatePEM()))
	c.cfg = writeFile(t, dir, "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
push: {allow_hosts: ["`+c.srv.Host()+`"]}
tenants:
  - id: `+c.id+`
    hosts: [127.0.0.1]
    name: Portal `+c.id+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
    push: {vapid_public_key: "`+keys.PublicKey()+`", vapid_private_key: "`+keys.PrivateKey()+`"}
`)
	ctx := context.Background()
	repo, devices := announce.NewRepo(c.st), notify.NewDevices(c.st)
	for u := range users {
		subject := fmt.Sprintf("sub-%05d", u)
		if err := repo.SeeUser(ctx, subject, "Person "+subject, []string{"staff"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		for range devicesEach {
			sub := c.srv.NewSubscription(keys.PublicKey())
			if _, err := devices.Save(ctx, subject, sub, time.Now()); err != nil {
				t.Fatal(err)
			}
			c.subs = append(c.subs, sub)
		}
	}
	return c
}

// instance is one Pforte process.
type instance struct {
	cmd  *exec.Cmd
	URL  string
	mu   sync.Mutex
	logs strings.Builder
}

func (c *outboxCity) start(t *testing.T) *instance {
	t.Helper()
	in := &instance{cmd: exec.Command(c.bin)}
	in.cmd.Env = append(os.Environ(), "PFORTE_CONFIG="+c.cfg, "PORT=0", "SSL_CERT_FILE="+c.bundle, "PFORTE_DEMO_DIR="+t.TempDir())
	out, _ := in.cmd.StdoutPipe()
	in.cmd.Stderr = in.cmd.Stdout
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			in.mu.Lock()
			in.logs.WriteString(sc.Text() + "\n")
			in.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
				once.Do(func() { in.URL = "http://" + rec.Addr; close(listening) })
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	t.Cleanup(func() {
		_ = in.cmd.Process.Signal(syscall.SIGTERM)
		_ = in.cmd.Wait()
	})
	select {
	case <-listening:
	case <-time.After(30 * time.Second):
		in.mu.Lock()
		defer in.mu.Unlock()
		t.Fatalf("instance did not start:\n%s", in.logs.String())
	}
	return in
}

// publish publishes a critical announcement with push the way the admin
// page does (save, then PublishDue sends the event).
func (c *outboxCity) publish(t *testing.T) *announce.Announcement {
	t.Helper()
	now := time.Now()
	a := &announce.Announcement{ID: announce.NewID(), Tenant: c.id, Title: "Phishing-Welle", Body: "Keine Links in Mails von 'IT-Support' öffnen.",
		Severity: "critical", Groups: []string{}, PublishAt: now, Push: true, CreatedAt: now, UpdatedAt: now}
	repo := announce.NewRepo(c.st)
	if err := repo.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if n, err := repo.PublishDue(context.Background(), now.Add(time.Millisecond)); err != nil || n < 1 {
		t.Fatalf("publish: %d events, %v", n, err)
	}
	return a
}

func (c *outboxCity) missing() int {
	n := 0
	for _, s := range c.subs {
		if len(c.srv.Messages(s)) == 0 {
			n++
		}
	}
	return n
}

func (c *outboxCity) waitAll(t *testing.T, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for c.missing() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after %s, %d of %d devices never received the push", limit, c.missing(), len(c.subs))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// inFlight returns the endpoints of the chunks consumer holds in the outbox.
func (c *outboxCity) inFlight(t *testing.T, consumer string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	q := "t:" + c.id + ":" + announce.PushQueue
	stream := q + ":{" + q + "}:s"
	pend, err := c.root.Client().XPendingExt(ctx, &redis.XPendingExtArgs{Stream: stream, Group: "workers", Start: "-", End: "+", Count: 1000, Consumer: consumer}).Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range pend {
		msgs, err := c.root.Client().XRange(ctx, stream, p.ID, p.ID).Result()
		if err != nil || len(msgs) != 1 {
			continue
		}
		raw, _ := msgs[0].Values["v"].(string)
		for _, tg := range notify.ChunkTargets([]byte(raw)) {
			out[tg.Sub.Endpoint] = true
		}
	}
	return out
}

// busyConsumer waits until one of the instances holds outbox chunks and
// returns its consumer name and the instance.
func (c *outboxCity) busyConsumer(t *testing.T, instances []*instance) (string, *instance) {
	t.Helper()
	q := "t:" + c.id + ":" + announce.PushQueue
	stream := q + ":{" + q + "}:s"
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if info, err := c.root.Client().XPending(context.Background(), stream, "workers").Result(); err == nil {
			for consumer, n := range info.Consumers {
				parts := strings.Split(consumer, "-")
				if len(parts) < 3 || n == 0 {
					continue
				}
				pid, _ := strconv.Atoi(parts[len(parts)-2])
				for _, in := range instances {
					if in.cmd.Process.Pid == pid {
						return consumer, in
					}
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no instance ever held a chunk of the outbox")
	return "", nil
}

// Three instances on one Redis, 10,000 devices: the instance delivering is
// killed with SIGKILL in the middle of the fan-out. Every device still gets
// the warning; the only repeats are devices of the chunks the killed
// instance held, and every message carries the same Topic (and tag), so a
// repeat replaces the notification instead of adding one.
func TestOutboxSurvivesKilledInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three Pforte processes and sends 10,000 pushes")
	}
	c := newOutboxCity(t, 1000, 10)
	instances := []*instance{c.start(t), c.start(t), c.start(t)}
	a := c.publish(t)
	for c.srv.Accepted() < 1500 {
		time.Sleep(5 * time.Millisecond)
	}
	consumer, victim := c.busyConsumer(t, instances)
	if err := victim.cmd.Process.Kill(); err != nil { // kill -9
		t.Fatal(err)
	}
	_ = victim.cmd.Wait()
	inFlight := c.inFlight(t, consumer)
	t.Logf("killed %s at %d accepted; it held %d devices in flight", consumer, c.srv.Accepted(), len(inFlight))
	c.waitAll(t, 90*time.Second)

	var topic string
	repeats := 0
	for _, s := range c.subs {
		msgs := c.srv.Messages(s)
		if len(msgs) > 1 {
			repeats++
			if !inFlight[s.Endpoint] {
				t.Errorf("a device outside the killed instance's chunks got %d messages", len(msgs))
			}
		}
		for _, m := range msgs {
			if topic == "" {
				topic = m.Topic
			}
			if m.ContentType != notify.DeclarativeType {
				t.Fatalf("message sent as %q, want %s", m.ContentType, notify.DeclarativeType)
			}
			if m.Topic != topic || m.Topic == "" {
				t.Fatalf("message with Topic %q, another with %q: a repeat would not replace", m.Topic, topic)
			}
			var p notify.Declarative
			if err := json.Unmarshal(m.Payload, &p); err != nil || p.WebPush != 8030 || p.Notification.Tag != "ann-"+a.ID ||
				p.Notification.Title != a.Title || !strings.HasSuffix(p.Notification.Navigate, "/announcements#ann-"+a.ID) {
				t.Fatalf("payload %s is not the declarative message of the announcement", m.Payload)
			}
		}
	}
	t.Logf("%d devices, %d repeats (all from the killed instance's chunks)", len(c.subs), repeats)
	// The last record of a chunk is written after its last send: the
	// figures settle a moment after the devices have the message.
	deadline := time.Now().Add(30 * time.Second)
	for {
		f := notify.Figures(context.Background(), c.st, a.ID)
		if f["targets"] == len(c.subs) && f["delivered"] == len(c.subs) && f["failed"] == 0 && f["pending"] == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("figures %v: want %d targets, all delivered", f, len(c.subs))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// No instance runs at publication time, so the pub/sub wake-up reaches no
// one: the push waits in the outbox, and an instance that starts later
// delivers it within 30 seconds.
func TestOutboxDeliversPublishedWhileNoInstanceListened(t *testing.T) {
	c := newOutboxCity(t, 50, 10)
	c.publish(t)
	c.start(t)
	c.waitAll(t, 30*time.Second)
	for _, s := range c.subs {
		if n := len(c.srv.Messages(s)); n != 1 {
			t.Fatalf("a device got %d messages, want 1", n)
		}
	}
}

// An admin follows a fan-out on the announcement's page (figures from
// push.json, the same the page polls) and sees the delivery health page:
// devices and success rate per push service.
func TestOutboxFiguresAndHealthPages(t *testing.T) {
	c := newOutboxCity(t, 20, 10)
	c.srv.Answer(c.subs[0], 410, 1, "")
	in := c.start(t)
	bob := browser(t)
	signIn(t, bob, in.URL, "/", "bob", "bob-pw")
	a := c.publish(t)
	var fig map[string]int
	deadline := time.Now().Add(30 * time.Second)
	for fig["done"] < len(c.subs) {
		if time.Now().After(deadline) {
			t.Fatalf("figures never reached all %d devices: %v", len(c.subs), fig)
		}
		res, body := do(t, bob, http.MethodGet, in.URL+"/admin/announcements/"+a.ID+"/push.json", nil, nil)
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &fig) != nil {
			t.Fatalf("push.json = %d %q", res.StatusCode, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if fig["targets"] != 200 || fig["delivered"] != 199 || fig["gone"] != 1 || fig["pending"] != 0 || fig["failed"] != 0 {
		t.Errorf("figures %v: want 200 targets, 199 delivered, 1 gone", fig)
	}
	_, page := do(t, bob, http.MethodGet, in.URL+"/admin/announcements/"+a.ID, nil, nil)
	for _, want := range []string{`data-fig="delivered">199<`, `data-fig="gone">1<`, `data-fig="expired">0<`, `value="200"`} {
		if !strings.Contains(page, want) {
			t.Errorf("announcement page lacks %s", want)
		}
	}
	_, page = do(t, bob, http.MethodGet, in.URL+"/admin/push-health", nil, nil)
	row := `<tr data-service="` + c.srv.Host() + `"><th scope="row">` + c.srv.Host() + `</th><td>199</td><td>199</td><td>0</td><td>100 %</td>`
	if !strings.Contains(page, row) {
		t.Errorf("health page lacks the push service row %s:\n%s", row, page)
	}
	if res, _ := do(t, browser(t), http.MethodGet, in.URL+"/admin/push-health", nil, nil); res.Request.URL.Path == "/admin/push-health" && res.StatusCode == http.StatusOK {
		t.Error("the health page is open to anyone")
	}
}
