package reminders

import (
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
)

// sendTime is when the reminder for a meeting at start goes out: lead
// before it, or, when that falls into the tenant's quiet hours and the
// meeting itself does not, when the quiet hours end. A meeting inside
// quiet hours is reminded of anyway (the person chose to attend it). ok is
// false when the quiet hours last until the meeting starts.
func sendTime(start time.Time, lead time.Duration, q *config.QuietHours, loc *time.Location) (time.Time, bool) {
	at := start.Add(-lead)
	if !notify.QuietUntil(q, start, loc).IsZero() {
		return at, true // the meeting itself is in quiet hours
	}
	if until := notify.QuietUntil(q, at, loc); !until.IsZero() {
		if !until.Before(start) {
			return time.Time{}, false
		}
		return until, true
	}
	return at, true
}
