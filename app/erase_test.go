package main

import (
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// TestUserErase: `pforte user erase` leaves no key, field, member or value
// of alice in her tenant except the audit entry that the erasure happened
// (which names her only by pseudonym); bob's data is untouched, and alice's
// sessions are gone (she is signed out).
func TestUserErase(t *testing.T) {
	id := uniqueID("erase")
	cfg := recordsConfig(t, `{redis_url: "`+testRedis(t)+`"}`, id)
	st := openStore(t, testRedis(t))
	ts := store.ForTenant(st, id)
	now := time.Now().UTC()
	seedPerson(t, st, id, now)
	idx := auth.Index{Store: ts, SessionKey: func(id string) string { return "sess:" + id }, TTL: time.Hour}
	must(t, idx.Add(t.Context(), "s1", &auth.User{Subject: "alice", SID: "op-sid-1"}))

	out, _ := runCmd(t, cfg, "user", "erase", "--tenant", id, "--subject", "alice")
	if !strings.Contains(out, "4 receipts, 1 devices, 1 app passwords, 1 sessions") {
		t.Errorf("erase output = %q", out)
	}

	keys, err := ts.Keys(t.Context(), "")
	must(t, err)
	if strings.Contains(strings.ToLower(strings.Join(keys, " ")), "alice") {
		t.Errorf("keys still name alice: %q", keys)
	}
	for _, k := range []string{"sess:s1", "dash:alice"} {
		if _, err := ts.Get(t.Context(), k); err == nil {
			t.Errorf("%s survived the erasure", k)
		}
	}
	if n, _ := ts.HLen(t.Context(), "sessidx:sid:op-sid-1"); n != 0 {
		t.Errorf("the provider-session index still lists alice's session")
	}
	dump, _ := runCmd(t, cfg, "export")
	for _, line := range strings.Split(strings.TrimSpace(dump), "\n") {
		if strings.Contains(strings.ToLower(line), "alice") {
			t.Errorf("a record still holds alice's data: %s", line)
		}
	}
	for _, want := range []string{`"bob":"2026`, `Bob B.`} {
		if !strings.Contains(dump, strings.Replace(want, "2026", now.Format("2006"), 1)) {
			t.Errorf("bob's data went too: %s missing", want)
		}
	}
	log, err := announce.NewRepo(ts).AuditLog(t.Context(), 10)
	must(t, err)
	if len(log) == 0 || log[0].Action != "erase" || !strings.Contains(log[0].Title, records.Pseudonym(id, "alice")) || log[0].Actor != "cli" {
		t.Errorf("audit log = %+v, want an erase entry naming the pseudonym", log)
	}
}
