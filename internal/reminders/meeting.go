package reminders

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

// Meeting is one occurrence of a calendar event, as the scheduler needs it.
type Meeting struct {
	Title   string
	Start   time.Time
	AllDay  bool
	JoinURL string // the video meeting link, if any
	URL     string // the event in the web calendar
}

// fromCalendar converts the connector's events.
func fromCalendar(evs []calendar.Event) []Meeting {
	out := make([]Meeting, 0, len(evs))
	for _, e := range evs {
		out = append(out, Meeting{Title: e.Title, Start: e.Start, AllDay: e.AllDay, JoinURL: e.JoinURL, URL: e.URL})
	}
	return out
}

// fromSnapshot converts the dashboard's cached meetings.
func fromSnapshot(evs []dashboard.Event) []Meeting {
	out := make([]Meeting, 0, len(evs))
	for _, e := range evs {
		out = append(out, Meeting{Title: e.Title, Start: e.Start, AllDay: e.AllDay, JoinURL: e.JoinURL, URL: e.URL})
	}
	return out
}

// occurrenceID names one reminder: the person, the start and the title.
// A meeting moved to another time is another occurrence (the old one finds
// nothing at its time and is not sent); the id is the same whether the
// meeting was read from CalDAV or from the dashboard's cached copy.
func occurrenceID(subject string, m Meeting) string {
	sum := sha256.Sum256([]byte(subject + "\x00" + strconv.FormatInt(m.Start.Unix(), 10) + "\x00" + m.Title))
	return hex.EncodeToString(sum[:12])
}
