package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

// FuzzExpand feeds arbitrary bytes through go-ical and Expand: nothing may
// panic, the output stays bounded and every join link is http(s).
// Seeds: testdata/fuzz/FuzzExpand.
func FuzzExpand(f *testing.F) {
	loc := berlin(f)
	from := time.Date(2026, 10, 19, 8, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 10)
	f.Fuzz(func(t *testing.T, data []byte) {
		cal := decodeGuarded(data)
		if cal == nil {
			return
		}
		evs, _ := Expand(cal, from, to, loc)
		events := 0
		for _, c := range cal.Children {
			if c.Name == ical.CompEvent {
				events++
			}
		}
		if len(evs) > events*(MaxInstances+1) {
			t.Fatalf("%d occurrences from %d events", len(evs), events)
		}
		for _, e := range evs {
			if e.JoinURL != "" && !strings.HasPrefix(e.JoinURL, "https://") && !strings.HasPrefix(e.JoinURL, "http://") {
				t.Fatalf("join link %q", e.JoinURL)
			}
			if !e.Start.Before(to) || e.End.Before(e.Start) {
				t.Fatalf("occurrence %v–%v outside [%v, %v)", e.Start, e.End, from, to)
			}
		}
	})
}

// decodeGuarded decodes like Fetch does: a panic inside go-ical is bad
// data, not a crash (Expand itself runs unguarded here).
func decodeGuarded(data []byte) (cal *ical.Calendar) {
	defer func() {
		if recover() != nil {
			cal = nil
		}
	}()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		return nil
	}
	return cal
}

// FuzzJoinURL: whatever the input, the answer is "" or an http(s) URL
// that occurs in the input. Seeds: testdata/fuzz/FuzzJoinURL.
func FuzzJoinURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b string) {
		got := JoinURL(a, b)
		if got == "" {
			return
		}
		if !strings.HasPrefix(got, "https://") && !strings.HasPrefix(got, "http://") {
			t.Fatalf("JoinURL(%q, %q) = %q", a, b, got)
		}
		if !strings.Contains(strings.ToLower(a+b), strings.ToLower(got)) {
			t.Fatalf("JoinURL(%q, %q) = %q, not in the input", a, b, got)
		}
	})
}
