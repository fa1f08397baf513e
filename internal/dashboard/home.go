package dashboard

import (
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// laterEvents is how many events after today the start page lists.
const laterEvents = 5

// NowCard is the top of the start page: on a phone the first screen must
// answer "what do I need now" — the next meeting (running or not) and the
// critical announcements.
type NowCard struct {
	Next     *Event
	Running  bool
	Critical []Announcement
}

// NowOf picks the next meeting that has not ended (all-day events are not
// meetings) and the critical announcements of d.
func NowOf(d Dashboard, now time.Time) NowCard {
	var s NowCard
	for i := range d.Calendar.Events {
		e := &d.Calendar.Events[i]
		if !e.AllDay && e.End.After(now) {
			s.Next, s.Running = e, !e.Start.After(now)
			break
		}
	}
	for _, a := range d.Announcements {
		if a.Severity == announce.SeverityCritical {
			s.Critical = append(s.Critical, a)
		}
	}
	return s
}

// Agenda splits events into today's (in loc) and the next few after today.
// Each location loses the meeting link it repeats: the page shows it as the
// Join button already.
func Agenda(events []Event, now time.Time, loc *time.Location) (today, later []Event) {
	y, m, day := now.In(loc).Date()
	endOfToday := time.Date(y, m, day+1, 0, 0, 0, 0, loc)
	for _, e := range events {
		e.Location = WithoutJoinURL(e.Location, e.JoinURL)
		if e.Start.Before(endOfToday) {
			today = append(today, e)
		} else if len(later) < laterEvents {
			later = append(later, e)
		}
	}
	return today, later
}

// WithoutJoinURL drops the meeting link from a location that repeats it
// ("Raum 1.12 / https://meet.jit.si/team").
func WithoutJoinURL(location, join string) string {
	if join == "" || !strings.Contains(location, join) {
		return location
	}
	return strings.Trim(strings.Replace(location, join, "", 1), " /,;|-–")
}

// AppsOf is the tenant's app tiles in lang: name_en on English pages when
// the tenant wrote one.
func AppsOf(apps []config.App, lang string) []App {
	out := make([]App, 0, len(apps))
	for _, a := range apps {
		name := a.Name
		if lang == "en" && a.NameEN != "" {
			name = a.NameEN
		}
		out = append(out, App{Name: name, URL: a.URL, Icon: a.Icon})
	}
	return out
}
