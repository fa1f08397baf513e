package web

import (
	"net/http"
	"strings"
	"testing"
)

// Probes answer without a tenant, never cached; metrics name routes by
// their template, so raw paths cannot explode their cardinality.
func TestOperationsEndpoints(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client("probe.internal") // no tenant has this host
	for _, path := range []string{"/healthz", "/readyz"} {
		res := c.get(path)
		var body map[string]any
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d, Cache-Control %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		decode(t, res, &body)
		if body["status"] != "ok" {
			t.Errorf("%s: %v, want status ok", path, body)
		}
	}
	ts.client(hostA).get("/api/announcements/abc123")
	metrics := readBody(t, c.get("/metrics"))
	if !strings.Contains(metrics, `pforte_http_requests_total{method="GET",route="/api/announcements/:id",status="401"} 1`) {
		t.Errorf("metrics do not count the request by its route template:\n%s", grepLines(metrics, "pforte_http_requests_total"))
	}
	if strings.Contains(metrics, "abc123") {
		t.Error("metrics carry a raw path")
	}
}

// The store going away makes the instance not ready (503), so a load
// balancer stops sending it traffic.
func TestReadyzSaysWhenTheStoreIsGone(t *testing.T) {
	ts := newTestServer(t)
	_ = ts.st.Close()
	res := ts.client(hostA).get("/readyz")
	var body map[string]any
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed store: %d, want 503", res.StatusCode)
	}
	decode(t, res, &body)
	if body["store"] != "unreachable" {
		t.Errorf("readyz body %v, want store unreachable", body)
	}
}

// An unknown host gets a plain 404 with no tenant's brand; every response
// carries a request id and the security headers.
func TestUnknownHostAndSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	res := ts.client("evil.example").get("/")
	body := readBody(t, res)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Unknown address") || strings.Contains(body, "Musterstadt") {
		t.Fatalf("unknown host: %d %q", res.StatusCode, body)
	}
	res = ts.client(hostA).get("/barrierefreiheit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("accessibility statement: %d", res.StatusCode)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-ID")
	}
	if csp := res.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
