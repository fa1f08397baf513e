package calendar

import (
	"errors"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// Bounds that keep a hostile RRULE from costing unbounded time or memory.
const (
	// MaxInstances caps the occurrences one event contributes to a window.
	MaxInstances = 1000
	// maxScan caps the occurrences generated while walking from DTSTART to
	// the window: a daily meeting begun in 1900 still fits.
	maxScan = 100_000
	// maxScanPerCalendar caps the occurrences generated for all events of
	// one Expand call together.
	maxScanPerCalendar = 1_000_000
	// maxTimeSet caps BYHOUR × BYMINUTE × BYSECOND, the occurrences rrule-go
	// generates per day at once.
	maxTimeSet = 60
	// Recurring series outside these years are not expanded.
	minRecurYear = 1900
	maxRecurYear = 9000
)

var (
	errUnsupportedRule = errors.New("unsupported recurrence rule")
	errScanLimit       = errors.New("too many occurrences before the window")
)

// ruleWalls returns the wall times of rule's occurrences in [low, until]
// (wall times in z) and how many it walked from dtstart. Beyond limit (or
// maxScan) occurrences it gives up with errScanLimit.
//
// rrule-go cannot be interrupted inside one step, so rules it would spin on
// are refused before it sees them: sub-hourly frequencies, hourly rules
// with time filters (INTERVAL=24;BYHOUR=5 never matches and never ends),
// huge time sets and years far outside any office calendar.
func ruleWalls(rule string, dtstart time.Time, allDay bool, z zone, low, until time.Time, limit int) ([]time.Time, int, error) {
	opt, err := rrule.StrToROption(knownParts(rule))
	if err != nil {
		return nil, 0, err
	}
	switch {
	case opt.Freq == rrule.SECONDLY || opt.Freq == rrule.MINUTELY,
		opt.Freq == rrule.HOURLY && (len(opt.Byhour) > 0 || len(opt.Byminute) > 0 || len(opt.Bysecond) > 0),
		max(1, len(opt.Byhour))*max(1, len(opt.Byminute))*max(1, len(opt.Bysecond)) > maxTimeSet,
		dtstart.Year() < minRecurYear || dtstart.Year() > maxRecurYear,
		opt.Interval < 0 || opt.Count < 0:
		return nil, 0, errUnsupportedRule
	}
	opt.Dtstart = dtstart
	if allDay {
		// Dates have no time of day to filter on.
		opt.Byhour, opt.Byminute, opt.Bysecond = nil, nil, nil
	}
	if u, ok := ruleUntil(rule, z, allDay); ok && u.Before(until) {
		until = u
	}
	opt.Until = until
	if neverMatches(*opt) {
		return nil, 0, nil
	}
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, 0, err
	}
	var out []time.Time
	next := r.Iterator()
	for walked := 0; ; walked++ {
		t, ok := next()
		if !ok {
			return out, walked, nil
		}
		if walked == min(limit, maxScan) {
			return nil, walked, errScanLimit
		}
		if !t.Before(low) {
			out = append(out, t)
		}
	}
}

// ruleUntil reads UNTIL as a wall time in z: a UTC UNTIL is converted, a
// date includes its whole day.
func ruleUntil(rule string, z zone, allDay bool) (time.Time, bool) {
	for _, part := range strings.Split(rule, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(k, "UNTIL") {
			continue
		}
		w, err := parseWhenValue(v, "", "")
		if err != nil {
			return time.Time{}, false
		}
		switch {
		case w.utc && !allDay:
			return z.wall(w.wall), true
		case w.allDay && !allDay:
			return w.wall.Add(24*time.Hour - time.Second), true
		default:
			return w.wall, true
		}
	}
	return time.Time{}, false
}

// knownParts drops RRULE parts rrule-go does not know (X- extensions,
// RSCALE, SKIP), which RFC 5545 lets clients add and others ignore.
func knownParts(rule string) string {
	var keep []string
	for _, part := range strings.Split(strings.TrimSpace(rule), ";") {
		k, _, _ := strings.Cut(part, "=")
		switch strings.ToUpper(k) {
		case "FREQ", "INTERVAL", "WKST", "COUNT", "UNTIL", "BYSETPOS", "BYMONTH", "BYMONTHDAY",
			"BYYEARDAY", "BYWEEKNO", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND":
			keep = append(keep, strings.ToUpper(k)+part[len(k):])
		}
	}
	return strings.Join(keep, ";")
}

// neverMatches reports whether a daily, weekly or hourly rule's day filters
// match no day at all (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30). rrule-go would
// walk such a rule day by day to the year 9999 inside a single step; a
// yearly rule with the same day filters matches a superset of its days and
// finds out in a few thousand cheap steps.
func neverMatches(opt rrule.ROption) bool {
	if opt.Freq < rrule.WEEKLY || len(opt.Bymonth)+len(opt.Bymonthday)+len(opt.Byyearday)+len(opt.Byweekno)+len(opt.Byeaster) == 0 {
		return false
	}
	days := []rrule.Weekday{rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU}
	var plain []rrule.Weekday
	for _, w := range opt.Byweekday {
		if d := w.Day(); d >= 0 && d < len(days) {
			plain = append(plain, days[d]) // "every Monday" is a superset of "the 2nd Monday"
		}
	}
	probe, err := rrule.NewRRule(rrule.ROption{
		Freq: rrule.YEARLY, Dtstart: opt.Dtstart, Wkst: opt.Wkst,
		Bymonth: opt.Bymonth, Bymonthday: opt.Bymonthday, Byyearday: opt.Byyearday,
		Byweekno: opt.Byweekno, Byweekday: plain, Byeaster: opt.Byeaster,
	})
	if err != nil {
		return false
	}
	_, ok := probe.Iterator()()
	return !ok
}
