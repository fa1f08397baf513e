package demo

import (
	"fmt"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"
	"github.com/teambition/rrule-go"
)

// matchQuery reports whether co answers a calendar-query. go-webdav's own
// matcher checks only whether an occurrence STARTS in a time range; a
// meeting that is already running, or an all-day event that began at
// midnight, would be missing. So time ranges on VEVENT are matched here by
// overlap (RFC 4791, 9.9) and every other condition by go-webdav.
func matchQuery(q *caldav.CalendarQuery, co *caldav.CalendarObject, loc *time.Location) (bool, error) {
	if q == nil {
		return true, nil
	}
	f := q.CompFilter
	var ranges [][2]time.Time
	comps := make([]caldav.CompFilter, len(f.Comps))
	for i, c := range f.Comps {
		if c.Name == ical.CompEvent && !c.Start.IsZero() {
			ranges = append(ranges, [2]time.Time{c.Start, c.End})
			c.Start, c.End = time.Time{}, time.Time{}
		}
		comps[i] = c
	}
	f.Comps = comps
	ok, err := caldav.Match(f, co)
	if err != nil || !ok {
		return false, err
	}
	for _, r := range ranges {
		ok, err := eventsOverlap(co.Data, r[0], r[1], loc)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// eventsOverlap reports whether any occurrence of any VEVENT in cal
// overlaps [start, end); a zero end means open-ended.
func eventsOverlap(cal *ical.Calendar, start, end time.Time, loc *time.Location) (bool, error) {
	for _, comp := range cal.Children {
		if comp.Name != ical.CompEvent {
			continue
		}
		first, length, err := eventSpan(comp, loc)
		if err != nil {
			return false, err
		}
		overlaps := func(s time.Time) bool {
			if length == 0 {
				return !s.Before(start) && (end.IsZero() || s.Before(end))
			}
			return (end.IsZero() || s.Before(end)) && s.Add(length).After(start)
		}
		if comp.Props.Get(ical.PropRecurrenceRule) == nil {
			if overlaps(first) {
				return true, nil
			}
			continue
		}
		set, err := recurrence(comp, first, loc)
		if err != nil {
			return false, err
		}
		until := end
		if until.IsZero() {
			until = start.AddDate(10, 0, 0)
		}
		for _, s := range set.Between(start.Add(-length), until, true) {
			if overlaps(s) {
				return true, nil
			}
		}
	}
	return false, nil
}

// eventSpan returns an event's start and length. An all-day event lasts a
// day unless DTEND says otherwise; a timed one without end is a moment.
func eventSpan(comp *ical.Component, loc *time.Location) (time.Time, time.Duration, error) {
	dtstart := comp.Props.Get(ical.PropDateTimeStart)
	if dtstart == nil {
		return time.Time{}, 0, fmt.Errorf("demo: event without DTSTART")
	}
	start, err := propTime(dtstart, loc)
	if err != nil {
		return time.Time{}, 0, err
	}
	switch {
	case comp.Props.Get(ical.PropDateTimeEnd) != nil:
		end, err := propTime(comp.Props.Get(ical.PropDateTimeEnd), loc)
		if err != nil {
			return time.Time{}, 0, err
		}
		return start, end.Sub(start), nil
	case comp.Props.Get(ical.PropDuration) != nil:
		d, err := comp.Props.Get(ical.PropDuration).Duration()
		return start, d, err
	case dtstart.ValueType() == ical.ValueDate || len(dtstart.Value) == len("20060102"):
		return start, start.AddDate(0, 0, 1).Sub(start), nil
	}
	return start, 0, nil
}

// recurrence expands RRULE, RDATE and EXDATE of comp from first.
func recurrence(comp *ical.Component, first time.Time, loc *time.Location) (*rrule.Set, error) {
	opt, err := comp.Props.RecurrenceRule()
	if err != nil {
		return nil, fmt.Errorf("demo: RRULE: %w", err)
	}
	opt.Dtstart = first
	rule, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("demo: RRULE: %w", err)
	}
	set := &rrule.Set{}
	set.RRule(rule)
	for _, p := range comp.Props.Values(ical.PropExceptionDates) {
		t, err := propTime(&p, loc)
		if err != nil {
			return nil, fmt.Errorf("demo: EXDATE: %w", err)
		}
		set.ExDate(t)
	}
	for _, p := range comp.Props.Values(ical.PropRecurrenceDates) {
		t, err := propTime(&p, loc)
		if err != nil {
			return nil, fmt.Errorf("demo: RDATE: %w", err)
		}
		set.RDate(t)
	}
	return set, nil
}

// propTime reads a DATE or DATE-TIME value. Dates and floating times are
// in loc; a TZID naming loc needs no lookup in the system's zone database.
func propTime(p *ical.Prop, loc *time.Location) (time.Time, error) {
	if tzid := p.Params.Get(ical.PropTimezoneID); tzid != "" && tzid == loc.String() {
		q := *p
		q.Params = ical.Params{}
		for k, v := range p.Params {
			if k != ical.PropTimezoneID {
				q.Params[k] = v
			}
		}
		return q.DateTime(loc)
	}
	return p.DateTime(loc)
}
