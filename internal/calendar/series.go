package calendar

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/emersion/go-ical"
)

// series adds the occurrences of a master event: DTSTART, RRULE and RDATE,
// less EXDATE and the instances overridden by RECURRENCE-ID.
func (x *expander) series(c *ical.Component, overridden map[int64]bool) {
	if cancelled(c) {
		return
	}
	t, err := x.timing(c)
	if err != nil {
		x.skip(err)
		return
	}
	rule := c.Props.Get(ical.PropRecurrenceRule)
	rdates := c.Props.Values(ical.PropRecurrenceDates)
	if rule == nil && len(rdates) == 0 {
		x.single(c, nil)
		return
	}
	// Occurrences starting in [low, high] (wall time) can overlap the window;
	// the margins cover the event's length and zone offsets.
	span := time.Duration(t.days)*24*time.Hour + t.length + 48*time.Hour
	low := t.zone.wall(x.from).Add(-span)
	high := t.zone.wall(x.to).Add(48 * time.Hour)

	walls := []time.Time{t.start.wall} // DTSTART always counts (RFC 5545 3.8.5.3)
	if rule != nil {
		rw, walked, err := ruleWalls(rule.Value, t.start.wall, t.start.allDay, t.zone, low, high, x.budget)
		x.budget -= walked
		switch {
		case errors.Is(err, errUnsupportedRule):
			// Shown once, at DTSTART, rather than expanded without bound.
		case err != nil:
			x.skip(fmt.Errorf("RRULE: %w", err))
			return
		default:
			walls = append(walls, rw...)
		}
	}
	for i := range rdates {
		for _, w := range parseWhens(&rdates[i]) {
			if w.allDay || w.utc || w.tzid != t.start.tzid {
				w.wall = t.zone.wall(x.zones.zoneOf(w).instant(w.wall))
				if t.start.allDay {
					w.wall = time.Date(w.wall.Year(), w.wall.Month(), w.wall.Day(), 0, 0, 0, 0, time.UTC)
				}
			}
			walls = append(walls, w.wall)
		}
	}

	excluded := map[int64]bool{}
	excludedDays := map[string]bool{}
	for _, p := range c.Props.Values(ical.PropExceptionDates) {
		for _, w := range parseWhens(&p) {
			if w.allDay && !t.start.allDay {
				excludedDays[w.wall.Format("20060102")] = true
				continue
			}
			excluded[x.zones.zoneOf(w).instant(w.wall).Unix()] = true
		}
	}

	sort.Slice(walls, func(i, j int) bool { return walls[i].Before(walls[j]) })
	seen := map[int64]bool{}
	added := 0
	for _, wall := range walls {
		if wall.Before(low) || wall.After(high) {
			continue
		}
		key := t.zone.instant(wall).Unix()
		if seen[key] || excluded[key] || overridden[key] || excludedDays[wall.Format("20060102")] {
			continue
		}
		seen[key] = true
		start, end := t.occurrence(wall, x.loc)
		if !x.overlaps(start, end) {
			continue
		}
		x.out = append(x.out, newEvent(c, nil, start, end, t.start.allDay))
		if added++; added >= MaxInstances {
			return
		}
	}
}
