package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// BenchmarkOutbox sends one announcement to every subscription of the
// receiver scripts/bench-push.sh started (PFORTE_BENCH_PUSH_DIR) through the
// whole outbox path on Redis (PFORTE_BENCH_REDIS_URL): plan (targets read
// from the store, payload stored once, chunks added), chunks leased with a
// heartbeat, per-target records written, acknowledged. It reports pushes/s
// and process CPU µs per push, like BenchmarkDeliver10k in internal/push.
func BenchmarkOutbox(b *testing.B) {
	dir, redisURL := os.Getenv("PFORTE_BENCH_PUSH_DIR"), os.Getenv("PFORTE_BENCH_REDIS_URL")
	if dir == "" || redisURL == "" {
		b.Skip("run by scripts/bench-push.sh (PFORTE_BENCH_PUSH_DIR and PFORTE_BENCH_REDIS_URL)")
	}
	workers := 32
	if w, err := strconv.Atoi(os.Getenv("PFORTE_BENCH_WORKERS")); err == nil && w > 0 {
		workers = w
	}
	var v struct{ PublicKey, PrivateKey string }
	var subs []push.Subscription
	readBenchJSON(b, filepath.Join(dir, "vapid.json"), &v)
	readBenchJSON(b, filepath.Join(dir, "subs.json"), &subs)
	keys, err := push.ParseVAPIDKeys(v.PrivateKey, v.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	ca, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	client := push.NewHTTPClient()
	tr := client.Transport.(*http.Transport)
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	tr.Protocols = new(http.Protocols)
	tr.Protocols.SetHTTP1(true) // as the bare sender's and web-push's runs
	sender, err := push.NewSender(push.Config{Keys: keys, Subject: "it@example.org", Client: client})
	if err != nil {
		b.Fatal(err)
	}
	root, err := store.Open(context.Background(), redisURL, "", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()

	for i := range b.N {
		tenant := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)
		st := store.ForTenant(root, tenant)
		seedBench(b, root.(*store.Redis).Client(), tenant, subs)
		now := time.Now()
		a := &announce.Announcement{ID: announce.NewID(), Tenant: tenant, Title: "IT-Hinweis: Wartung heute Abend",
			Body:     "Die Dateiablage ist zwischen 19:00 und 21:00 Uhr nicht erreichbar. Bitte speichern Sie rechtzeitig.",
			Severity: "warning", PublishAt: now.Add(-time.Minute), Push: true, CreatedAt: now, UpdatedAt: now}
		if err := announce.NewRepo(st).Save(context.Background(), a); err != nil {
			b.Fatal(err)
		}
		t := TenantPush{ID: tenant, Sender: sender, Lang: "de", Origin: "https://portal.example"}
		d := &Dispatcher{Store: root, Tenants: []TenantPush{t}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Workers: max(1, workers/4)}
		b.ResetTimer()
		cpu0, t0 := benchCPU(), time.Now()
		plan, err := d.plan(context.Background(), t, a.ID, false)
		if err != nil || plan.Targets != len(subs) {
			b.Fatalf("plan: %+v, %v", plan, err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var all Stats
		for range 4 { // four chunks at once, as Run does by default
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := d.Drain(context.Background(), t)
				if err != nil {
					b.Error(err)
				}
				mu.Lock()
				all.add(s)
				mu.Unlock()
			}()
		}
		wg.Wait()
		b.StopTimer()
		if all.Delivered != len(subs) {
			b.Fatalf("%d of %d delivered: %+v", all.Delivered, len(subs), all)
		}
		n := len(subs)
		b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "pushes/s")
		b.ReportMetric(float64((benchCPU()-cpu0).Microseconds())/float64(n), "cpu-µs/push")
		b.ReportMetric(time.Since(t0).Seconds(), "s-end-to-end")
		b.ReportMetric(float64(all.Delivered), "sender-counted") // scripts/bench-push.sh compares it with the receiver's count
	}
}

// seedBench stores users and devices (one device per user) in one pipeline.
func seedBench(b *testing.B, c redis.UniversalClient, tenant string, subs []push.Subscription) {
	b.Helper()
	prefix := "t:" + tenant + ":"
	now := time.Now()
	ctx := context.Background()
	for start := 0; start < len(subs); start += 1000 {
		_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < min(start+1000, len(subs)); i++ {
				subject := fmt.Sprintf("u%06d", i)
				user, _ := json.Marshal(announce.KnownUser{Name: subject, Groups: []string{"staff"}, LastSeen: now})
				p.HSet(ctx, prefix+"ann:users", subject, user)
				dev := Device{ID: DeviceID(subs[i].Endpoint), Sub: subs[i], Created: now, LastSeen: now}
				raw, _ := json.Marshal(dev)
				p.HSet(ctx, prefix+devicesKey(subject), dev.ID, raw)
				p.HSet(ctx, prefix+usersKey, subject, "1")
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func readBenchJSON(b *testing.B, path string, v any) {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		b.Fatal(err)
	}
}

func benchCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
