package push_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// benchPayload is a typical announcement (about 200 bytes).
var benchPayload = []byte(`{"title":"IT-Hinweis: Wartung heute Abend","body":"Die Dateiablage ist zwischen 19:00 und 21:00 Uhr nicht erreichbar. Bitte speichern Sie rechtzeitig.","url":"/announcements/42"}`)

// benchEnv is the receiver and its subscriptions. With PFORTE_BENCH_PUSH_DIR
// (set by scripts/bench-push.sh) the receiver is another process and the CPU
// figures are the sender's alone; otherwise an in-process Fast receiver is
// used and the CPU figures include it.
type benchEnv struct {
	keys    *push.VAPIDKeys
	subs    []push.Subscription
	client  func() *http.Client
	workers int
}

func newBenchEnv(b *testing.B, h2 bool) benchEnv {
	b.Helper()
	workers := 32
	if w, err := strconv.Atoi(os.Getenv("PFORTE_BENCH_WORKERS")); err == nil && w > 0 {
		workers = w
	}
	if dir := os.Getenv("PFORTE_BENCH_PUSH_DIR"); dir != "" {
		var v struct{ PublicKey, PrivateKey string }
		var subs []push.Subscription
		readJSON(b, filepath.Join(dir, "vapid.json"), &v)
		readJSON(b, filepath.Join(dir, "subs.json"), &subs)
		keys, err := push.ParseVAPIDKeys(v.PrivateKey, v.PublicKey)
		if err != nil {
			b.Fatal(err)
		}
		ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
		if err != nil {
			b.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(ca)
		client := func() *http.Client {
			c := push.NewHTTPClient()
			tr := c.Transport.(*http.Transport)
			tr.TLSClientConfig = &tls.Config{RootCAs: pool}
			if !h2 {
				tr.Protocols = new(http.Protocols)
				tr.Protocols.SetHTTP1(true)
			}
			return c
		}
		return benchEnv{keys: keys, subs: subs, client: client, workers: workers}
	}
	keys, err := push.GenerateVAPIDKeys()
	if err != nil {
		b.Fatal(err)
	}
	srv := pushtest.New(pushtest.Options{Fast: true, HTTP2: h2}) // the server decides the protocol
	b.Cleanup(srv.Close)
	subs := make([]push.Subscription, 10000)
	for i := range subs {
		subs[i] = srv.NewSubscription(keys.PublicKey())
	}
	return benchEnv{keys: keys, subs: subs, client: srv.Client, workers: workers}
}

func readJSON(b *testing.B, path string, v any) {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		b.Fatal(err)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs send over all subscriptions b.N times and reports pushes/s
// and process CPU µs per push.
func measure(b *testing.B, env benchEnv, send func(ctx context.Context, subs []push.Subscription) int) {
	b.Helper()
	warm := send(context.Background(), env.subs[:env.workers]) // warm up connections
	cpu0, t0, ok := cpuTime(), time.Now(), 0
	b.ResetTimer()
	for range b.N {
		ok += send(context.Background(), env.subs)
	}
	b.StopTimer()
	n := b.N * len(env.subs)
	if ok != n {
		b.Fatalf("%d of %d pushes delivered", ok, n)
	}
	b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "pushes/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n), "cpu-µs/push")
	// What this sender counted as accepted (201), warm-up included, for
	// scripts/bench-push.sh to compare with the receiver's own count.
	b.ReportMetric(float64(warm+ok), "sender-counted")
}

func BenchmarkDeliver10k(b *testing.B) {
	pforte := func(h2 bool, mod func(*push.Config), signEach bool) func(b *testing.B) {
		return func(b *testing.B) {
			env := newBenchEnv(b, h2)
			cfg := push.Config{Keys: env.keys, Subject: "it@example.org", Client: env.client()}
			if mod != nil {
				mod(&cfg)
			}
			s, err := push.NewSender(cfg)
			if err != nil {
				b.Fatal(err)
			}
			if signEach {
				push.SignEveryPush(s)
			}
			measure(b, env, func(ctx context.Context, subs []push.Subscription) int {
				targets := make([]push.Target, len(subs))
				for i, sub := range subs {
					targets[i] = push.Target{Sub: sub}
				}
				ok := 0
				_ = s.Deliver(ctx, targets, benchPayload, push.Options{TTL: 24 * time.Hour, Urgency: push.UrgencyNormal}, env.workers, func(_ push.Target, r push.Result) {
					if r.Outcome == push.OutcomeDelivered {
						ok++
					}
				})
				return ok
			})
		}
	}
	b.Run("pforte", pforte(false, nil, false))
	b.Run("pforte-pad-none", pforte(false, func(c *push.Config) { c.PadBlock = -1 }, false))
	b.Run("pforte-pad-4096", pforte(false, func(c *push.Config) { c.PadBlock = push.MaxPayload + 1 }, false))
	b.Run("pforte-sign-every-push", pforte(false, nil, true))
	b.Run("pforte-http2", pforte(true, nil, false))
	b.Run("webpush-go", func(b *testing.B) {
		env := newBenchEnv(b, false)
		client := env.client()
		priv, pub := env.keys.PrivateKey(), env.keys.PublicKey()
		measure(b, env, func(ctx context.Context, subs []push.Subscription) int {
			var (
				wg   sync.WaitGroup
				mu   sync.Mutex
				ok   int
				next = make(chan push.Subscription)
			)
			for range env.workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for sub := range next {
						resp, err := webpush.SendNotificationWithContext(ctx, benchPayload, &webpush.Subscription{
							Endpoint: sub.Endpoint, Keys: webpush.Keys{Auth: sub.Keys.Auth, P256dh: sub.Keys.P256dh},
						}, &webpush.Options{HTTPClient: client, Subscriber: "it@example.org", VAPIDPublicKey: pub, VAPIDPrivateKey: priv, TTL: 86400, Urgency: webpush.UrgencyNormal})
						if err != nil {
							continue
						}
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode == 201 {
							mu.Lock()
							ok++
							mu.Unlock()
						}
					}
				}()
			}
			for _, sub := range subs {
				next <- sub
			}
			close(next)
			wg.Wait()
			return ok
		})
	})
}
