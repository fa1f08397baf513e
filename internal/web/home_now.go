package web

import (
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

// collapseAfter is how many items a dashboard list shows before "Alle (N)":
// on a phone the first screen must answer "what do I need now".
const collapseAfter = 3

// nowSummary is the top of the dashboard: the next meeting (running or
// not), and the critical announcements.
type nowSummary struct {
	Next     *dashboard.Event
	Running  bool
	Critical []dashboard.Announcement
}

// nowOf picks the next meeting that has not ended (all-day events are not
// meetings) and the critical announcements of d.
func nowOf(d dashboard.Dashboard, now time.Time) nowSummary {
	var s nowSummary
	for i := range d.Calendar.Events {
		e := &d.Calendar.Events[i]
		if !e.AllDay && e.End.After(now) {
			s.Next, s.Running = e, !e.Start.After(now)
			break
		}
	}
	for _, a := range d.Announcements {
		if a.Severity == "critical" {
			s.Critical = append(s.Critical, a)
		}
	}
	return s
}

// withoutJoinURL drops the meeting link from a location that repeats it
// ("Raum 1.12 / https://meet.jit.si/team"): the page shows it as the Join
// button already.
func withoutJoinURL(location, join string) string {
	if join == "" || !strings.Contains(location, join) {
		return location
	}
	return strings.Trim(strings.Replace(location, join, "", 1), " /,;|-–")
}
