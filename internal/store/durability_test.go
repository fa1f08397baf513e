package store_test

import (
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

func redisAt(t *testing.T, url string) *store.Redis {
	t.Helper()
	opts, err := store.ParseRedisURL(url)
	must(t, err)
	s := store.NewRedis(opts, nil)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestDurabilityRedis: a Redis with AOF and noeviction keeps records; turning
// persistence off or choosing an evicting policy is reported with the
// setting that fixes it, also through the instrumenting wrapper.
func TestDurabilityRedis(t *testing.T) {
	r := testenv.StartRedis(t)
	s := redisAt(t, r.URL)
	ctx := t.Context()

	d := store.CheckDurability(ctx, store.Instrument(s, nil))
	if !d.Checked || d.Volatile() || !strings.HasPrefix(d.Persistence, "aof ") || d.MaxmemoryPolicy != "noeviction" {
		t.Fatalf("AOF Redis: %+v, want checked, not volatile, aof, noeviction", d)
	}

	must(t, s.Client().ConfigSet(ctx, "appendonly", "no").Err())
	d = store.CheckDurability(ctx, s)
	if !d.Volatile() || d.Persistence != "none" || len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "appendonly yes") {
		t.Fatalf("Redis without persistence: %+v, want volatile naming appendonly yes", d)
	}

	must(t, s.Client().ConfigSet(ctx, "save", "3600 1").Err())
	must(t, s.Client().ConfigSet(ctx, "maxmemory-policy", "allkeys-lru").Err())
	d = store.CheckDurability(ctx, s)
	if !d.Volatile() || d.Persistence != "rdb 3600 1" || len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "maxmemory-policy noeviction") {
		t.Fatalf("RDB Redis with allkeys-lru: %+v, want volatile naming maxmemory-policy noeviction", d)
	}
}

// TestDurabilityRefused: where CONFIG (and INFO) are forbidden, as on many
// managed Redis services, the check says it could not run instead of
// failing or claiming the Redis is volatile.
func TestDurabilityRefused(t *testing.T) {
	r := testenv.StartRedis(t)
	admin := redisAt(t, r.URL)
	must(t, admin.Client().Do(t.Context(), "ACL", "SETUSER", "app", "on", ">pw", "~*", "&*", "+@all", "-config", "-info").Err())

	d := store.CheckDurability(t.Context(), redisAt(t, strings.Replace(r.URL, "redis://", "redis://app:pw@", 1)))
	if d.Checked || d.Volatile() || !strings.Contains(d.Reason, "CONFIG GET and INFO refused") {
		t.Fatalf("refused check: %+v, want unchecked with a reason", d)
	}

	// INFO alone still tells whether AOF is on.
	must(t, admin.Client().Do(t.Context(), "ACL", "SETUSER", "app", "+info").Err())
	d = store.CheckDurability(t.Context(), redisAt(t, strings.Replace(r.URL, "redis://", "redis://app:pw@", 1)))
	if !d.Checked || d.Volatile() || d.Persistence != "aof" {
		t.Fatalf("INFO-only check: %+v, want checked aof", d)
	}
}

// TestDurabilityBolt: the embedded file is durable by construction.
func TestDurabilityBolt(t *testing.T) {
	b, err := store.NewBolt(t.TempDir()+"/p.db", nil)
	must(t, err)
	defer b.Close()
	if d := store.CheckDurability(t.Context(), b); !d.Checked || d.Volatile() {
		t.Fatalf("bolt: %+v", d)
	}
}
