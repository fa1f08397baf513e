package calendar

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
)

// BenchmarkFetch reads the seeded calendar (9 occurrences of 8 objects,
// recurrences included) from the real Radicale: discovery-free URL, one
// PROPFIND and one REPORT per call.
func BenchmarkFetch(b *testing.B) {
	srv := radicale(b)
	cal := srv.seed(b, "alice")
	c := newClient(b, Options{URL: cal, Days: 10})
	ctx, cred, now := context.Background(), srv.cred("alice"), monday(b)
	b.ReportAllocs()
	for b.Loop() {
		evs, err := c.Fetch(ctx, cred, now)
		if err != nil || len(evs) != 9 {
			b.Fatalf("%d events, %v", len(evs), err)
		}
	}
}

// BenchmarkFetchDiscover is BenchmarkFetch through principal discovery
// from the server root (three more PROPFINDs).
func BenchmarkFetchDiscover(b *testing.B) {
	srv := radicale(b)
	srv.seed(b, "bob")
	c := newClient(b, Options{URL: srv.base, Days: 10})
	ctx, cred, now := context.Background(), srv.cred("bob"), monday(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Fetch(ctx, cred, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpand expands the seed events as one calendar in memory.
func BenchmarkExpand(b *testing.B) {
	files, _ := filepath.Glob("testdata/seed/*.ics")
	merged := ical.NewCalendar()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		cal, err := ical.NewDecoder(strings.NewReader(string(data))).Decode()
		if err != nil {
			b.Fatal(err)
		}
		merged.Children = append(merged.Children, cal.Children...)
	}
	now := monday(b)
	b.ReportAllocs()
	for b.Loop() {
		evs, err := Expand(merged, now, now.AddDate(0, 0, 10), now.Location())
		if err != nil || len(evs) != 9 {
			b.Fatalf("%d events, %v", len(evs), err)
		}
	}
}
