package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// BadEventsError reports events Expand skipped because they could not be
// read. It comes together with the events that could be read: one broken
// event must not hide the others.
type BadEventsError struct {
	Skipped int
	Err     error // the first reason
}

// Error says how many events were skipped and why the first one was.
func (e *BadEventsError) Error() string {
	return fmt.Sprintf("calendar: skipped %d unreadable event(s): %v", e.Skipped, e.Err)
}

// Unwrap returns the first reason.
func (e *BadEventsError) Unwrap() error { return e.Err }

// Expand returns the occurrences of cal's events that overlap [from, to),
// with times in loc (the tenant zone; floating times and dates are read in
// it). Recurring events are expanded here, not by the server: RRULE, RDATE,
// EXDATE and RECURRENCE-ID overrides; cancelled events and instances are
// left out. The result is sorted by start. Unreadable events are skipped;
// the error is then a *BadEventsError and the events are still returned.
func Expand(cal *ical.Calendar, from, to time.Time, loc *time.Location) ([]Event, error) {
	if cal == nil || cal.Component == nil {
		return nil, errors.New("calendar: expand: no calendar")
	}
	if loc == nil {
		loc = time.UTC
	}
	x := expander{zones: newZones(cal, loc), from: from, to: to, loc: loc, budget: maxScanPerCalendar}
	type series struct {
		master    *ical.Component
		overrides []*ical.Component
	}
	var order []string
	byUID := map[string]*series{}
	for i, c := range cal.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		uid := text(c.Props, ical.PropUID)
		if uid == "" {
			uid = fmt.Sprintf("\x00%d", i) // no UID: a series of its own
		}
		s := byUID[uid]
		if s == nil {
			s = &series{}
			byUID[uid] = s
			order = append(order, uid)
		}
		if c.Props.Get(ical.PropRecurrenceID) != nil {
			s.overrides = append(s.overrides, c)
		} else if s.master == nil {
			s.master = c
		}
	}
	for _, uid := range order {
		s := byUID[uid]
		overridden := map[int64]bool{}
		for _, o := range s.overrides {
			rid, err := parseWhen(o.Props.Get(ical.PropRecurrenceID))
			if err != nil {
				x.skip(err)
				continue
			}
			overridden[x.zones.zoneOf(rid).instant(rid.wall).Unix()] = true
			x.single(o, s.master)
		}
		if s.master != nil {
			x.series(s.master, overridden)
		}
	}
	sortEvents(x.out)
	if x.skipped > 0 {
		return x.out, &BadEventsError{Skipped: x.skipped, Err: x.firstErr}
	}
	return x.out, nil
}

// expander holds the state of one Expand call.
type expander struct {
	zones    *zones
	from, to time.Time
	loc      *time.Location
	out      []Event
	skipped  int
	firstErr error
	budget   int // occurrences rrule-go may still generate (maxScanPerCalendar)
}

func (x *expander) skip(err error) {
	if x.skipped == 0 {
		x.firstErr = err
	}
	x.skipped++
}

// maxEventDays caps an event's length (about 100 years).
const maxEventDays = 36_600

// timing is an event's start and how to find its end from any start.
type timing struct {
	start  when
	zone   zone
	days   int           // nominal days to the end (dates, DURATION:P1D)
	length time.Duration // exact time to the end
}

func (x *expander) timing(c *ical.Component) (timing, error) {
	start, err := parseWhen(c.Props.Get(ical.PropDateTimeStart))
	if err != nil {
		return timing{}, fmt.Errorf("DTSTART: %w", err)
	}
	t := timing{start: start, zone: x.zones.zoneOf(start)}
	if p := c.Props.Get(ical.PropDateTimeEnd); p != nil {
		end, err := parseWhen(p)
		if err != nil {
			return timing{}, fmt.Errorf("DTEND: %w", err)
		}
		if start.allDay {
			t.days = int(end.wall.Sub(start.wall).Hours() / 24)
		} else {
			t.length = x.zones.zoneOf(end).instant(end.wall).Sub(t.zone.instant(start.wall))
		}
	} else if days, exact, ok := duration(c.Props.Get(ical.PropDuration)); ok {
		t.days, t.length = days, exact
	}
	if start.allDay && t.days < 1 {
		t.days = 1
	}
	if t.days < 0 || t.length < 0 {
		t.days, t.length = 0, 0
	}
	// Keep hostile lengths from overflowing time.Duration arithmetic.
	t.days = min(t.days, maxEventDays)
	t.length = min(t.length, maxEventDays*24*time.Hour)
	return t, nil
}

// occurrence turns the wall time of one start into an event's times.
func (t timing) occurrence(wall time.Time, loc *time.Location) (start, end time.Time) {
	start = t.zone.instant(wall).In(loc)
	end = t.zone.instant(wall.AddDate(0, 0, t.days)).Add(t.length).In(loc)
	return start, end
}

func (x *expander) overlaps(start, end time.Time) bool {
	if !start.Before(x.to) {
		return false
	}
	if end.After(start) {
		return end.After(x.from)
	}
	return !start.Before(x.from)
}

func cancelled(c *ical.Component) bool {
	p := c.Props.Get(ical.PropStatus)
	return p != nil && strings.EqualFold(strings.TrimSpace(p.Value), string(ical.EventCancelled))
}

// single adds a one-off event or a RECURRENCE-ID override (whose missing
// text falls back to the master's).
func (x *expander) single(c, master *ical.Component) {
	if cancelled(c) {
		return
	}
	t, err := x.timing(c)
	if err != nil {
		x.skip(err)
		return
	}
	start, end := t.occurrence(t.start.wall, x.loc)
	if x.overlaps(start, end) {
		x.out = append(x.out, newEvent(c, master, start, end, t.start.allDay))
	}
}
