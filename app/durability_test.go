package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// TestRecordsSurviveRedisKill: with AOF on (as the stack and the Helm chart
// run Redis), announcements, their audit entry, read and acknowledgement
// receipts, push subscriptions and app passwords written through the domain
// packages are all there after Redis is killed with SIGKILL and started again.
// (SIGKILL keeps what Redis wrote to the file; appendfsync everysec bounds
// the loss on a machine crash to the last second.)
func TestRecordsSurviveRedisKill(t *testing.T) {
	r := testenv.StartRedisWith(t, "--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
	ctx := t.Context()
	sealer, err := auth.NewSealer(testSecret, "app passwords v1")
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, r.URL)
	ts := store.ForTenant(st, "city")
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	repo, devs, accts := announce.NewRepo(ts), notify.NewDevices(ts), accounts.New(ts, "city", sealer)
	sub := push.Subscription{Endpoint: "https://push.example/alice", Keys: push.Keys{P256dh: "p", Auth: "a"}}
	must(t, repo.Save(ctx, &announce.Announcement{ID: "a1", Tenant: "city", Title: "Wartung", Severity: "info", PublishAt: now}))
	must(t, repo.Audit(ctx, announce.AuditEntry{At: now, Tenant: "city", Actor: "it", Action: "create", ID: "a1", Title: "Wartung"}))
	must(t, repo.Acknowledge(ctx, "a1", "alice", now))
	if _, err := devs.Save(ctx, "alice", sub, now); err != nil {
		t.Fatal(err)
	}
	must(t, accts.Connect(ctx, "alice", "mail", accounts.Account{Username: "alice", Password: "app-pw", ConnectedAt: now}))

	r.Stop() // SIGKILL
	r.Start()
	waitFor(t, func() bool { return st.Ping(ctx) == nil })

	if a, err := repo.Get(ctx, "a1"); err != nil || a.Title != "Wartung" {
		t.Errorf("announcement after the kill: %+v, %v", a, err)
	}
	if log, err := repo.AuditLog(ctx, 10); err != nil || len(log) != 1 {
		t.Errorf("audit log after the kill: %+v, %v", log, err)
	}
	if reads, err := repo.Reads(ctx, "a1"); err != nil || reads["alice"].IsZero() {
		t.Errorf("read receipt after the kill: %v, %v", reads, err)
	}
	if at, err := repo.AckedAt(ctx, "a1", "alice"); err != nil || at.IsZero() {
		t.Errorf("acknowledgement after the kill: %v, %v", at, err)
	}
	if list, err := devs.List(ctx, "alice"); err != nil || len(list) != 1 || list[0].Sub.Endpoint != sub.Endpoint {
		t.Errorf("push subscription after the kill: %+v, %v", list, err)
	}
	if a, ok, err := accts.Get(ctx, "alice", "mail"); err != nil || !ok || a.Password != "app-pw" {
		t.Errorf("app password after the kill: ok=%v, %v", ok, err)
	}
}

// TestNotReadyOnVolatileRedis: Pforte on a Redis with AOF is ready; when
// persistence is switched off on that same Redis, /readyz answers 503 and
// names the setting; an instance started then logs the error at start; and
// store.allow_volatile: true lets a trial run anyway.
func TestNotReadyOnVolatileRedis(t *testing.T) {
	r := testenv.StartRedis(t)
	config := func(allow string) string {
		return writeFile(t, t.TempDir(), "pforte.yaml", `
secret_key: `+testSecret+`
store: {redis_url: "`+r.URL+`", allow_volatile: `+allow+`}
tenants: [{id: test, hosts: [127.0.0.1], name: Testportal}]
`)
	}
	app := startApp(t, map[string]string{"PFORTE_CONFIG": config("false")})
	if status, body, _ := get(t, app.URL, "/readyz", ""); status != http.StatusOK || !strings.Contains(body, `"persistence":"aof everysec"`) {
		t.Fatalf("readyz on a Redis with AOF = %d %s", status, body)
	}

	st := openStore(t, r.URL).(*store.Redis)
	must(t, st.Client().ConfigSet(t.Context(), "appendonly", "no").Err())
	status, body, _ := get(t, app.URL, "/readyz", "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"store":"volatile"`) || !strings.Contains(body, "appendonly yes") {
		t.Errorf("readyz after persistence went off = %d %s; want 503 saying to set appendonly yes", status, body)
	}
	later := startApp(t, map[string]string{"PFORTE_CONFIG": config("false")})
	if logs := later.Logs(); !strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "appendonly yes") {
		t.Errorf("start logs do not say what to set:\n%s", logs)
	}
	trial := startApp(t, map[string]string{"PFORTE_CONFIG": config("true")})
	if status, body, _ := get(t, trial.URL, "/readyz", ""); status != http.StatusOK || !strings.Contains(body, `"persistence":"none"`) {
		t.Errorf("readyz with allow_volatile = %d %s; want 200 still showing persistence none", status, body)
	}
}

func openStore(t *testing.T, url string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 200 {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("condition not met within 10 s")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
