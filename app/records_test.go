package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// recordsConfig writes a config for tenants on the given store line.
func recordsConfig(t *testing.T, storeLine string, tenants ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("secret_key: " + testSecret + "\nstore: " + storeLine + "\ntenants:\n")
	for i, id := range tenants {
		b.WriteString("  - {id: " + id + ", hosts: [h" + string(rune('a'+i)) + ".example], name: Portal " + id + "}\n")
	}
	return writeFile(t, t.TempDir(), "pforte.yaml", b.String())
}

// runCmd runs one command of the real program and returns its stdout.
func runCmd(t *testing.T, cfg string, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{}
	if err := run(context.Background(), append([]string{"--config", cfg}, args...), func(k string) string { return env[k] }, &out, &errOut); err != nil {
		t.Fatalf("pforte %v: %v\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// seedPerson writes what Pforte keeps about alice (and a little of bob)
// in tenant id, plus a session and a dashboard cache entry that are not
// records.
func seedPerson(t *testing.T, st store.Store, id string, now time.Time) {
	t.Helper()
	ctx := t.Context()
	ts := store.ForTenant(st, id)
	sealer, err := auth.NewSealer(testSecret, "app passwords v1")
	must(t, err)
	vapidSealer, err := auth.NewSealer(testSecret, "vapid v1")
	must(t, err)
	repo := announce.NewRepo(ts)
	exp := now.Add(-time.Hour)
	must(t, repo.Save(ctx, &announce.Announcement{ID: "a1", Tenant: id, Title: "Wartung <Mail>", Severity: "info", PublishAt: now.Add(-48 * time.Hour), ExpiresAt: &exp}))
	must(t, repo.Save(ctx, &announce.Announcement{ID: "a2", Tenant: id, Title: "Streik", Severity: "critical", PublishAt: now, RequiresAck: true}))
	must(t, repo.Audit(ctx, announce.AuditEntry{At: now, Tenant: id, Actor: "IT (it)", Action: "create", ID: "a2", Title: "Streik"}))
	must(t, repo.SeeUser(ctx, "alice", "Alice A.", []string{"staff"}, now))
	must(t, repo.SeeUser(ctx, "bob", "Bob B.", nil, now))
	must(t, repo.Acknowledge(ctx, "a2", "alice", now))
	must(t, repo.MarkRead(ctx, "a2", "bob", now))
	must(t, repo.MarkRead(ctx, "a1", "alice", now.Add(-47*time.Hour)))
	_, err = notify.NewDevices(ts).Save(ctx, "alice", push.Subscription{Endpoint: "https://push.example/alice-1", Keys: push.Keys{P256dh: "p", Auth: "a"}}, now)
	must(t, err)
	must(t, notify.RecordSeen(ctx, ts, "a2", "shown", "alice", now))
	_, err = notify.Keys(ctx, ts, id, config.TenantPush{}, vapidSealer)
	must(t, err)
	must(t, accounts.New(ts, id, sealer).Connect(ctx, "alice", "mail", accounts.Account{Username: "alice", Password: "app-pw-1", ConnectedAt: now}))
	must(t, ts.Set(ctx, "sess:s1", []byte("alice's session"), time.Hour))
	must(t, ts.HSet(ctx, "sessidx:sub:alice", "s1", []byte{1}))
	must(t, ts.Set(ctx, "dash:alice", []byte("cached dashboard"), time.Hour))
	must(t, ts.Set(ctx, "xchg:alice:res-imap", []byte("sealed exchanged token"), time.Hour))
}

// TestExportImportRoundTrip: every record of a tenant on Redis goes to a
// file, from the file into the embedded store, and out again byte for byte
// the same; importing twice changes nothing; sessions and caches stay out;
// and the restored app password still opens (same secret_key).
func TestExportImportRoundTrip(t *testing.T) {
	id, other := uniqueID("rec"), uniqueID("recother")
	redisCfg := recordsConfig(t, `{redis_url: "`+testRedis(t)+`"}`, id, other)
	boltDir := t.TempDir()
	boltCfg := recordsConfig(t, `{data_dir: "`+boltDir+`"}`, id)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

	st := openStore(t, testRedis(t))
	seedPerson(t, st, id, now)
	seedPerson(t, st, other, now)

	fromRedis, log := runCmd(t, redisCfg, "export", "--tenant", id)
	if strings.Contains(log, "unknown kind") {
		t.Errorf("export skipped keys it does not know:\n%s", log)
	}
	for _, want := range []string{`"key":"ann:a1"`, `"key":"ann:audit"`, `"key":"ann:ack:a2"`, `"key":"acct:alice"`, `"key":"push:dev:alice"`, `"key":"push:vapid"`, `"key":"push:shown:a2"`, `Wartung`} {
		if !strings.Contains(fromRedis, want) {
			t.Errorf("export lacks %s:\n%s", want, fromRedis)
		}
	}
	for _, not := range []string{"sess:", "sessidx:", "dash:", "app-pw-1", other} {
		if strings.Contains(fromRedis, not) {
			t.Errorf("export contains %q (sessions, caches, plain passwords and other tenants stay out)", not)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.jsonl")
	must(t, os.WriteFile(backup, []byte(fromRedis), 0o600))

	runCmd(t, boltCfg, "import", backup)
	runCmd(t, boltCfg, "import", backup) // idempotent
	fromBolt, _ := runCmd(t, boltCfg, "export")
	if fromBolt != fromRedis {
		t.Fatalf("Redis → file → bbolt → file differs:\nredis:\n%s\nbolt:\n%s", fromRedis, fromBolt)
	}

	b, err := store.Open(t.Context(), "", boltDir, nil)
	must(t, err)
	defer b.Close()
	sealer, err := auth.NewSealer(testSecret, "app passwords v1")
	must(t, err)
	if a, ok, err := accounts.New(store.ForTenant(b, id), id, sealer).Get(t.Context(), "alice", "mail"); err != nil || !ok || a.Password != "app-pw-1" {
		t.Errorf("restored app password: ok=%v err=%v", ok, err)
	}
}

// TestImportRefusesBadInput: a wrong line is named and nothing is written.
func TestImportRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := recordsConfig(t, `{data_dir: "`+dir+`"}`, "city")
	for name, tc := range map[string]struct{ body, want string }{
		"other tenant": {`{"tenant":"city","key":"ann:x","string":"{}"}` + "\n" + `{"tenant":"nope","key":"ann:y","string":"{}"}`, `line 2: tenant "nope" is not in the config`},
		"unknown key":  {`{"tenant":"city","key":"sess:x","string":"s"}`, `line 1: key "sess:x" is not a record`},
		"wrong shape":  {`{"tenant":"city","key":"ann:audit","string":"x"}`, `line 1: key ann:audit needs exactly one of "string", "hash", "zset" (zset)`},
		"not json":     {`{"tenant":`, `line 1:`},
	} {
		f := filepath.Join(t.TempDir(), "b.jsonl")
		must(t, os.WriteFile(f, []byte(tc.body), 0o600))
		var out, errOut bytes.Buffer
		err := run(t.Context(), []string{"--config", cfg, "import", f}, func(string) string { return "" }, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, tc.want)
		}
	}
	if got, _ := runCmd(t, cfg, "export"); got != "" {
		t.Errorf("a refused import wrote records:\n%s", got)
	}
}
