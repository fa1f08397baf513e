package records_test

import (
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// seedTenant writes a year of a mid-sized city: 200 announcements with 50
// read receipts each and 1,000 audit entries (about 10,000 records' fields).
func seedTenant(b *testing.B, ts store.Store, now time.Time) {
	b.Helper()
	repo := announce.NewRepo(ts)
	ctx := b.Context()
	for i := range 200 {
		id := fmt.Sprintf("a%03d", i)
		must2(b, repo.Save(ctx, &announce.Announcement{ID: id, Title: id, Severity: "info", PublishAt: now.Add(-time.Duration(i) * time.Hour)}))
		for u := range 50 {
			must2(b, repo.MarkRead(ctx, id, "user-"+strconv.Itoa(u), now))
		}
	}
	for i := range 1000 {
		must2(b, repo.Audit(ctx, announce.AuditEntry{At: now.Add(-time.Duration(i) * time.Minute), Action: "update", ID: "a001", Title: "x"}))
	}
}

func must2(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkExport: one tenant's export on the embedded file and on Redis
// (the stack's), side by side. One op is a whole export.
func BenchmarkExport(b *testing.B) {
	now := time.Now()
	backends := map[string]func(b *testing.B) store.Store{
		"bolt": func(b *testing.B) store.Store {
			s, err := store.NewBolt(b.TempDir()+"/p.db", nil)
			must2(b, err)
			b.Cleanup(func() { _ = s.Close() })
			return s
		},
		"redis": func(b *testing.B) store.Store {
			opts, err := store.ParseRedisURL(testenv.Server(b, "PFORTE_TEST_REDIS_URL"))
			must2(b, err)
			s := store.NewRedis(opts, nil)
			b.Cleanup(func() { _ = s.Close() })
			return s
		},
	}
	for _, name := range []string{"bolt", "redis"} {
		b.Run(name, func(b *testing.B) {
			tenant := "bench-" + strconv.FormatInt(time.Now().UnixNano(), 36)
			st := backends[name](b)
			ts := store.ForTenant(st, tenant)
			seedTenant(b, ts, now)
			b.Cleanup(func() {
				keys, _ := ts.Keys(b.Context(), "")
				_ = ts.Delete(b.Context(), keys...)
			})
			b.ResetTimer()
			for b.Loop() {
				sum, err := records.Export(b.Context(), st, []string{tenant}, io.Discard)
				must2(b, err)
				if sum.Records != 200*2+3+1 {
					b.Fatalf("exported %d records", sum.Records)
				}
			}
		})
	}
}
