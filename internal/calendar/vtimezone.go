package calendar

import (
	"sort"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// vtimezone holds the UTC offsets of a VTIMEZONE as a sorted list of
// transitions in wall time, precomputed for a bounded span of years.
type vtimezone struct {
	initial time.Duration
	trans   []transition
}

type transition struct {
	at     time.Time // wall time of the onset
	offset time.Duration
}

const (
	vtzFirstYear      = 1900
	vtzLastYear       = 2200
	maxVtzTransitions = 2000
)

func (v *vtimezone) offsetAt(wall time.Time) time.Duration {
	i := sort.Search(len(v.trans), func(i int) bool { return v.trans[i].at.After(wall) })
	if i == 0 {
		return v.initial
	}
	return v.trans[i-1].offset
}

// parseVTimezone reads STANDARD and DAYLIGHT observances. Only YEARLY
// rules are expanded, which is what real zones use, and keeps the work
// bounded for hostile input. It returns nil when nothing usable is found.
func parseVTimezone(c *ical.Component) *vtimezone {
	v := &vtimezone{}
	first := time.Time{}
	for _, obs := range c.Children {
		if obs.Name != ical.CompTimezoneStandard && obs.Name != ical.CompTimezoneDaylight {
			continue
		}
		to, ok1 := parseOffset(obs.Props.Get(ical.PropTimezoneOffsetTo))
		from, ok2 := parseOffset(obs.Props.Get(ical.PropTimezoneOffsetFrom))
		start, _, err := parseWall(obs.Props.Get(ical.PropDateTimeStart))
		if !ok1 || err != nil {
			continue
		}
		if !ok2 {
			from = to
		}
		if first.IsZero() || start.Before(first) {
			first, v.initial = start, from
		}
		onsets := []time.Time{start}
		if p := obs.Props.Get(ical.PropRecurrenceRule); p != nil {
			onsets = append(onsets, yearlyOnsets(p.Value, start)...)
		}
		for _, p := range obs.Props.Values(ical.PropRecurrenceDates) {
			onsets = append(onsets, parseWallList(&p)...)
		}
		for _, at := range onsets {
			if len(v.trans) >= maxVtzTransitions {
				break
			}
			v.trans = append(v.trans, transition{at: at, offset: to})
		}
	}
	if first.IsZero() {
		return nil
	}
	sort.SliceStable(v.trans, func(i, j int) bool { return v.trans[i].at.Before(v.trans[j].at) })
	return v
}

func yearlyOnsets(rule string, start time.Time) []time.Time {
	opt, err := rrule.StrToROption(rule)
	if err != nil || opt.Freq != rrule.YEARLY || start.Year() < vtzFirstYear || start.Year() > vtzLastYear {
		return nil
	}
	opt.Dtstart = start
	opt.Byhour, opt.Byminute, opt.Bysecond = nil, nil, nil
	if opt.Until.IsZero() || opt.Until.Year() > vtzLastYear {
		opt.Until = time.Date(vtzLastYear, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	opt.Until = time.Date(opt.Until.Year(), opt.Until.Month(), opt.Until.Day(), 23, 59, 59, 0, time.UTC)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil
	}
	var out []time.Time
	next := r.Iterator()
	for i := 0; i < maxVtzTransitions; i++ {
		t, ok := next()
		if !ok {
			break
		}
		out = append(out, t)
	}
	return out
}

// parseOffset reads a UTC offset such as "+0200", "-0530" or "+013045".
func parseOffset(p *ical.Prop) (time.Duration, bool) {
	if p == nil {
		return 0, false
	}
	s := strings.TrimSpace(p.Value)
	if len(s) != 5 && len(s) != 7 {
		return 0, false
	}
	sign := time.Duration(1)
	switch s[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, false
	}
	n := 0
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	hh, mm := atoi2(s[1:3]), atoi2(s[3:5])
	ss := 0
	if len(s) == 7 {
		ss = atoi2(s[5:7])
	}
	n = hh*3600 + mm*60 + ss
	if hh > 23 || mm > 59 || ss > 59 {
		return 0, false
	}
	return sign * time.Duration(n) * time.Second, true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
