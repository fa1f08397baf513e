package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The first visit's budgets (issue 6): everything the browser fetches for
// the signed-in dashboard on an empty cache, service worker included.
const (
	budgetTotal = 60 * 1024 // gzip bytes, all responses
	budgetJS    = 15 * 1024 // gzip bytes, JavaScript
)

// The signed-in dashboard's first visit stays within 60 KB gzip in total
// and 15 KB gzip of JavaScript, and the browser asks no other host for
// anything (no fonts, CDNs or trackers). Every request of every target of
// the browser (page and service worker) goes through a recording proxy.
// scripts/budgets.sh prints the table this test logs.
func TestFirstVisitBudgets(t *testing.T) {
	app := startApp(t, map[string]string{}) // the demo dashboard with sample data
	appURL, err := url.Parse(app.URL)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{app: appURL.Host, transport: &http.Transport{DisableCompression: true}}
	proxy := httptest.NewServer(rec)
	t.Cleanup(proxy.Close)

	// Sign in without the browser, so its first request is the dashboard.
	b := browser(t)
	_, page := do(t, b, http.MethodGet, app.URL+"/login", nil, nil)
	do(t, b, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"employee"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	var session *http.Cookie
	for _, c := range b.Jar.Cookies(appURL) {
		if c.Name == "pforte" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("demo sign-in set no session cookie")
	}

	tab := testenv.Browser(t,
		chromedp.ProxyServer(proxy.URL),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"), // loopback through the proxy too
	)
	// Which hosts the page asks, from the page's own view (Chromium's own
	// background requests, e.g. its update check, pass the proxy too).
	var hostsMu sync.Mutex
	pageHosts := map[string]bool{}
	chromedp.ListenTarget(tab.Context(), func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			if u, err := url.Parse(e.Request.URL); err == nil && u.Host != "" {
				hostsMu.Lock()
				pageHosts[u.Host] = true
				hostsMu.Unlock()
			}
		}
	})
	var h1 string
	tab.Run(t,
		network.Enable(),
		network.SetCookie(session.Name, session.Value).WithURL(app.URL+"/").WithHTTPOnly(true),
		chromedp.Navigate(app.URL+"/"),
		chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &h1, chromedp.ByQuery),
		// A service worker precaches at install: wait until it is active
		// (or there is none), so its requests count too.
		chromedp.Evaluate(`navigator.serviceWorker ? Promise.race([navigator.serviceWorker.ready.then(() => true),
			new Promise(r => setTimeout(() => r(false), 5000))]) : true`, nil,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if !strings.Contains(h1, "Erika Mustermann") {
		t.Fatalf("the browser does not show the signed-in dashboard: heading %q", h1)
	}
	reqs := rec.quiet(t)

	var total, js, wire, own, browserOwn int
	var foreign []string
	var rows strings.Builder
	hostsMu.Lock()
	if !pageHosts[rec.app] {
		t.Errorf("the page's own requests were not observed: %v", pageHosts)
	}
	for h := range pageHosts {
		if h != rec.app {
			foreign = append(foreign, h)
		}
	}
	hostsMu.Unlock()
	for _, r := range reqs {
		if r.Host != rec.app {
			// Not the page's (see pageHosts): Chromium's own traffic, or the
			// service worker's, which its CSP (connect-src 'self') forbids.
			if r.FromContent {
				foreign = append(foreign, r.Host)
			} else {
				browserOwn++
			}
			continue
		}
		own++
		total += r.Gzip
		wire += r.Wire
		if strings.Contains(r.Type, "javascript") {
			js += r.Gzip
		}
		fmt.Fprintf(&rows, "  %9s %9s  %-26s %s\n", kib(r.Gzip), kib(r.Wire), r.Type, r.Path)
	}
	var table strings.Builder
	fmt.Fprintf(&table, "first visit of the signed-in dashboard: %d requests\n", own)
	fmt.Fprintf(&table, "  %9s %9s  %-26s %s\n%s", "gzip", "sent", "type", "URL", rows.String())
	fmt.Fprintf(&table, "total       %s gzip (budget %s), %s as sent\n", kib(total), kib(budgetTotal), kib(wire))
	fmt.Fprintf(&table, "JavaScript  %s gzip (budget %s)\n", kib(js), kib(budgetJS))
	fmt.Fprintf(&table, "other hosts %d %v (Chromium's own background requests, not the page's: %d)\n", len(foreign), foreign, browserOwn)
	t.Log("\n" + table.String())

	if total > budgetTotal {
		t.Errorf("first visit is %s gzip, over the budget of %s", kib(total), kib(budgetTotal))
	}
	if js > budgetJS {
		t.Errorf("first visit has %s gzip of JavaScript, over the budget of %s", kib(js), kib(budgetJS))
	}
	if len(foreign) > 0 {
		t.Errorf("the browser asked other hosts: %v", foreign)
	}
	if !hasPath(reqs, "/") || !hasPath(reqs, "/static/") {
		t.Errorf("the proxy did not see the page and its assets: %+v", reqs)
	}
}

func kib(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

func hasPath(reqs []recorded, prefix string) bool {
	for _, r := range reqs {
		if r.Path == prefix || prefix != "/" && strings.HasPrefix(r.Path, prefix) {
			return true
		}
	}
	return false
}

// recorded is one request the browser made and what came back.
type recorded struct {
	Method, Host, Path, Type string
	Wire                     int // body bytes as sent (gzip when the server compressed)
	Gzip                     int // body bytes gzip-compressed (what a gzipping server or proxy sends)
	// FromContent: sent by a page or worker (it carries Fetch Metadata or
	// the app as Origin/Referer), not by the browser for itself.
	FromContent bool
}

// recorder is an HTTP forward proxy that passes requests for the app on
// and refuses every other host, recording each request.
type recorder struct {
	app string // host:port of the app
	// transport passes responses on as they are (no decompression).
	transport http.RoundTripper
	mu        sync.Mutex
	reqs      []recorded
	last      time.Time
}

func (p *recorder) add(r recorded) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reqs = append(p.reqs, r)
	p.last = time.Now()
}

// quiet waits until no request came for half a second (the page's late
// fetches and the service worker's precache are done) and returns what
// was recorded, in order.
func (p *recorder) quiet(t *testing.T) []recorded {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		idle := time.Since(p.last) > 500*time.Millisecond
		p.mu.Unlock()
		if idle {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]recorded(nil), p.reqs...)
}

func (p *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Host
	if r.Method == http.MethodConnect {
		host = r.Host
	}
	if host != p.app {
		fromContent := r.Header.Get("Sec-Fetch-Mode") != "" || strings.Contains(r.Header.Get("Origin")+r.Header.Get("Referer"), p.app)
		p.add(recorded{Method: r.Method, Host: host, Path: r.URL.Path, FromContent: fromContent})
		http.Error(w, "budget test: no other hosts", http.StatusForbidden)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	res, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	ct := res.Header.Get("Content-Type")
	rec := recorded{Method: r.Method, Host: host, Path: r.URL.RequestURI(), Type: strings.SplitN(ct, ";", 2)[0]}
	if strings.HasPrefix(ct, "text/event-stream") {
		// A live stream never ends: count its headers only, pass it on.
		p.add(rec)
		w.WriteHeader(res.StatusCode)
		flusher, _ := w.(http.Flusher)
		buf := make([]byte, 4096)
		for {
			n, err := res.Body.Read(buf)
			if n > 0 {
				_, _ = w.Write(buf[:n])
				if flusher != nil {
					flusher.Flush()
				}
			}
			if err != nil {
				return
			}
		}
	}
	body, _ := io.ReadAll(res.Body)
	rec.Wire, rec.Gzip = len(body), len(body)
	if res.Header.Get("Content-Encoding") == "" {
		rec.Gzip = min(len(body), gzipLen(body))
	}
	p.add(rec)
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(body)
}

// gzipLen is the size of b gzip-compressed at the default level (what a
// reverse proxy in front of Pforte would send).
func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Len()
}
