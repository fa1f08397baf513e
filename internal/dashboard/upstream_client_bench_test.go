package dashboard

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// BenchmarkConcurrentColdBuilds is many users' cold dashboards at once,
// as in the morning peak: the two HTTP sources (Radicale and rclone of the
// test stack) of 16 concurrent builds sharing one client, with Go's
// default transport (2 idle connections per host, what Pforte used before)
// and with NewUpstreamClient. new-conns/op counts the TCP connections
// each build had to open.
func BenchmarkConcurrentColdBuilds(b *testing.B) {
	now := time.Now()
	calURL, calCred := benchCalendar(b, now)
	filesURL, filesCred := benchFiles(b, now)
	clients := []struct {
		name string
		hc   *http.Client
	}{
		{"default-transport", &http.Client{Timeout: 30 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}},
		{"upstream-client", NewUpstreamClient(30 * time.Second)},
	}
	for _, cl := range clients {
		c, err := calendar.New(calendar.Options{URL: calURL, HTTPClient: cl.hc})
		if err != nil {
			b.Fatal(err)
		}
		f, err := files.New(files.Options{URL: filesURL, HTTPClient: cl.hc})
		if err != nil {
			b.Fatal(err)
		}
		src := Sources{Calendar(c), Files(f)}
		creds := map[string]upstream.Credential{"calendar": calCred, "files": filesCred}
		req := Request{Now: now, Creds: func(_ context.Context, source string) (upstream.Credential, error) { return creds[source], nil }}
		var conns atomic.Int64
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
			GotConn: func(i httptrace.GotConnInfo) {
				if !i.Reused {
					conns.Add(1)
				}
			},
		})
		b.Run(cl.name, func(b *testing.B) {
			conns.Store(0)
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if d := Build(ctx, src, 10*time.Second, req); d.Calendar.Status != StatusOK || d.Files.Status != StatusOK {
						b.Errorf("build failed: calendar %+v files %+v", d.Calendar.Block, d.Files.Block)
						return
					}
				}
			})
			b.ReportMetric(float64(conns.Load())/float64(b.N), "new-conns/op")
		})
	}
}
