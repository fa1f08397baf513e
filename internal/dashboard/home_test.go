package dashboard

import (
	"testing"
	"time"
)

func TestWithoutJoinURL(t *testing.T) {
	for _, c := range []struct{ loc, join, want string }{
		{"Rathaus, Raum 1.12 / https://meet.jit.si/team", "https://meet.jit.si/team", "Rathaus, Raum 1.12"},
		{"https://meet.jit.si/team", "https://meet.jit.si/team", ""},
		{"Raum 2.14", "https://meet.jit.si/team", "Raum 2.14"},
		{"Raum 2.14", "", "Raum 2.14"},
	} {
		if got := WithoutJoinURL(c.loc, c.join); got != c.want {
			t.Errorf("WithoutJoinURL(%q, %q) = %q, want %q", c.loc, c.join, got, c.want)
		}
	}
}

// The top of the dashboard: the first meeting that has not ended (marked
// running when it has begun), skipping all-day events; critical
// announcements only.
func TestNowOf(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 10, 0, 0, time.UTC)
	ev := func(title string, start, end int, allDay bool) Event {
		return Event{Title: title, Start: now.Add(time.Duration(start) * time.Minute), End: now.Add(time.Duration(end) * time.Minute), AllDay: allDay}
	}
	d := Dashboard{}
	d.Calendar.Events = []Event{ev("over", -90, -30, false), ev("holiday", -600, 800, true), ev("jour fixe", -10, 20, false), ev("later", 60, 90, false)}
	d.Announcements = []Announcement{{ID: "a", Severity: "info"}, {ID: "b", Severity: "critical"}}
	s := NowOf(d, now)
	if s.Next == nil || s.Next.Title != "jour fixe" || !s.Running || len(s.Critical) != 1 || s.Critical[0].ID != "b" {
		t.Errorf("NowOf = next %+v running %v critical %+v; want the running jour fixe and announcement b", s.Next, s.Running, s.Critical)
	}
	d.Calendar.Events = d.Calendar.Events[3:]
	if s = NowOf(d, now); s.Next == nil || s.Next.Title != "later" || s.Running {
		t.Errorf("with only a later meeting: next %+v running %v", s.Next, s.Running)
	}
}

// Today ends at midnight in the tenant's zone, not in UTC; later shows
// at most five events, and no location repeats its Join link.
func TestAgenda(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, berlin)
	events := []Event{{Title: "late", Start: time.Date(2026, 11, 23, 23, 30, 0, 0, berlin), Location: "Raum 1 / https://j/x", JoinURL: "https://j/x"}}
	for d := 1; d <= 7; d++ {
		events = append(events, Event{Title: "later", Start: now.AddDate(0, 0, d)})
	}
	today, later := Agenda(events, now, berlin)
	if len(today) != 1 || today[0].Title != "late" || today[0].Location != "Raum 1" {
		t.Errorf("today = %+v, want only the 23:30 event with location %q", today, "Raum 1")
	}
	if len(later) != laterEvents {
		t.Errorf("later has %d events, want %d", len(later), laterEvents)
	}
}
