package notify

import (
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// QuietUntil returns when the tenant's quiet hours around now end, or the
// zero time when now is not quiet. Non-critical pushes wait until then;
// critical ones go out anyway (and are audited by the caller).
func QuietUntil(q *config.QuietHours, now time.Time, loc *time.Location) time.Time {
	if q == nil {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	start, err1 := config.ParseClock(q.Start)
	end, err2 := config.ParseClock(q.End)
	if err1 != nil || err2 != nil {
		return time.Time{}
	}
	t := now.In(loc)
	var until time.Time
	// Step forward in minutes of local time until the window is open; a
	// week bounds it (weekends + nights never exceed that).
	for i := 0; i < 7*24*60 && quiet(t, start, end, q.Weekends); i++ {
		t = t.Add(time.Minute).Truncate(time.Minute)
		until = t
	}
	return until
}

func quiet(t time.Time, start, end time.Duration, weekends bool) bool {
	if weekends && (t.Weekday() == time.Saturday || t.Weekday() == time.Sunday) {
		return true
	}
	// Wall-clock time of day, so a DST change does not shift the window.
	since := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	if start == end {
		return false
	}
	if start < end {
		return since >= start && since < end
	}
	return since >= start || since < end // spans midnight
}
