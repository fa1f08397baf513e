package calendar

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// countingTransport records each request's method and Depth header on its
// way to the real server.
type countingTransport struct {
	mu   sync.Mutex
	seen []string
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.seen = append(c.seen, r.Method+" depth="+r.Header.Get("Depth"))
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// A configured calendar URL costs Radicale two small requests on a cold
// dashboard: a Depth: 0 PROPFIND that finds it is a calendar, and the one
// calendar-query REPORT, not a Depth: 1 listing of every event; the events
// still show.
func TestCalendarURLIsProbedNotListed(t *testing.T) {
	s := radicale(t)
	cal := s.seed(t, "alice")
	ct := &countingTransport{}
	c, err := New(Options{URL: cal, Days: 3650, HTTPClient: &http.Client{Transport: ct, Timeout: 20 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := c.Fetch(context.Background(), s.cred("alice"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 {
		t.Fatal("no events from the seeded calendar")
	}
	want := []string{"PROPFIND depth=0", "REPORT depth=1"}
	if len(ct.seen) != len(want) || ct.seen[0] != want[0] || ct.seen[1] != want[1] {
		t.Errorf("requests = %v, want %v", ct.seen, want)
	}
}
