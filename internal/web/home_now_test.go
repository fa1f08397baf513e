package web

import (
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

func TestWithoutJoinURL(t *testing.T) {
	for _, c := range []struct{ loc, join, want string }{
		{"Rathaus, Raum 1.12 / https://meet.jit.si/team", "https://meet.jit.si/team", "Rathaus, Raum 1.12"},
		{"https://meet.jit.si/team", "https://meet.jit.si/team", ""},
		{"Raum 2.14", "https://meet.jit.si/team", "Raum 2.14"},
		{"Raum 2.14", "", "Raum 2.14"},
	} {
		if got := withoutJoinURL(c.loc, c.join); got != c.want {
			t.Errorf("withoutJoinURL(%q, %q) = %q, want %q", c.loc, c.join, got, c.want)
		}
	}
}

// The top of the dashboard: the first meeting that has not ended (marked
// running when it has begun), skipping all-day events; critical
// announcements only.
func TestNowOf(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 10, 0, 0, time.UTC)
	ev := func(title string, start, end int, allDay bool) dashboard.Event {
		return dashboard.Event{Title: title, Start: now.Add(time.Duration(start) * time.Minute), End: now.Add(time.Duration(end) * time.Minute), AllDay: allDay}
	}
	d := dashboard.Dashboard{}
	d.Calendar.Events = []dashboard.Event{ev("over", -90, -30, false), ev("holiday", -600, 800, true), ev("jour fixe", -10, 20, false), ev("later", 60, 90, false)}
	d.Announcements = []dashboard.Announcement{{ID: "a", Severity: "info"}, {ID: "b", Severity: "critical"}}
	s := nowOf(d, now)
	if s.Next == nil || s.Next.Title != "jour fixe" || !s.Running || len(s.Critical) != 1 || s.Critical[0].ID != "b" {
		t.Errorf("nowOf = next %+v running %v critical %+v; want the running jour fixe and announcement b", s.Next, s.Running, s.Critical)
	}
	d.Calendar.Events = d.Calendar.Events[3:]
	if s = nowOf(d, now); s.Next == nil || s.Next.Title != "later" || s.Running {
		t.Errorf("with only a later meeting: next %+v running %v", s.Next, s.Running)
	}
}
