package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// logAddr is the addr of the first log line with message msg.
func logAddr(t *testing.T, app *testApp, msg string) string {
	t.Helper()
	for _, line := range strings.Split(app.Logs(), "\n") {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
			return rec.Addr
		}
	}
	t.Fatalf("no %q log line:\n%s", msg, app.Logs())
	return ""
}

// Issue 17, point 8: /metrics no longer answers strangers when the
// operator chose a token or an address of its own.
func TestMetricsTokenAndListen(t *testing.T) {
	o := testOIDC(t)
	const token = "metrics-9Xq2LmT7vB4nR8kW"
	withToken, _ := signInAppWith(t, "metricstok", o, "metrics_token: "+token)
	for name, hdr := range map[string]http.Header{
		"no token":    nil,
		"wrong token": {"Authorization": {"Bearer metrics-guess"}},
		"basic auth":  {"Authorization": {"Basic " + token}},
	} {
		if res, _ := do(t, &http.Client{}, http.MethodGet, withToken.URL+"/metrics", nil, hdr); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: /metrics %d, want 401", name, res.StatusCode)
		}
	}
	res, body := do(t, &http.Client{}, http.MethodGet, withToken.URL+"/metrics", nil, http.Header{"Authorization": {"Bearer " + token}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "pforte_http_requests_total") {
		t.Errorf("/metrics with the token: %d, want 200 with the request counters", res.StatusCode)
	}

	own, _ := signInAppWith(t, "metricsown", o, `metrics_listen: "127.0.0.1:0"`)
	if res, _ := do(t, &http.Client{}, http.MethodGet, own.URL+"/metrics", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the main listener with metrics_listen set: %d, want 404", res.StatusCode)
	}
	addr := logAddr(t, own, "metrics listening")
	res, body = do(t, &http.Client{}, http.MethodGet, "http://"+addr+"/metrics", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "pforte_http_requests_total") {
		t.Errorf("/metrics on metrics_listen: %d, want 200 with the request counters", res.StatusCode)
	}
	if res, _ := do(t, &http.Client{}, http.MethodGet, "http://"+addr+"/", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("the metrics listener serves / (%d): it must serve only /metrics", res.StatusCode)
	}
}
