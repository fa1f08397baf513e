package main

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// Issue 17, point 3: behind a trusted proxy, a client that writes its own
// X-Forwarded-For (a new address or garbage before the proxy's entry) is
// still counted by the address the proxy saw, so the limit holds.
func TestSpoofedForwardedForStillHitsTheLimit(t *testing.T) {
	app, _ := signInAppWith(t, "xff", testOIDC(t), "trusted_proxies: [127.0.0.1]")
	freshWindow(time.Minute)
	guess := func(xff string) int {
		res, _ := do(t, &http.Client{}, http.MethodGet, app.URL+"/api/announcements", nil, http.Header{
			"Authorization": {"Bearer guess"}, "Accept": {"application/json"}, "X-Forwarded-For": {xff}})
		return res.StatusCode
	}
	// The proxy (127.0.0.1, trusted) appends the address it saw: 198.51.100.7.
	for i := range 10 {
		spoof := "203.0.113." + strconv.Itoa(i) + ", 198.51.100.7"
		if i%2 == 1 {
			spoof = "not-an-ip-" + strconv.Itoa(i) + ", 198.51.100.7, 127.0.0.1"
		}
		if got := guess(spoof); got != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d, want 401", i, got)
		}
	}
	if got := guess("192.0.2.99, 198.51.100.7"); got != http.StatusTooManyRequests {
		t.Fatalf("11th wrong token from 198.51.100.7 with a spoofed forwarded-for: %d, want 429", got)
	}
	// Another client behind the same proxy has its own count.
	if got := guess("198.51.100.8"); got != http.StatusUnauthorized {
		t.Errorf("first wrong token from another client: %d, want 401", got)
	}
	// Only garbage: counted by the proxy's own address, still limited.
	for i := range 11 {
		got := guess("not-an-ip-" + strconv.Itoa(i))
		if i == 10 && got != http.StatusTooManyRequests {
			t.Errorf("11th wrong token with only invalid forwarded-for values: %d, want 429", got)
		}
	}
}
