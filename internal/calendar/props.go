package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// when is a parsed DATE or DATE-TIME property value before its zone is
// applied: wall carries the local clock reading in UTC (see zone).
type when struct {
	wall   time.Time
	allDay bool
	utc    bool
	tzid   string
}

var errNoValue = errors.New("missing date")

// parseWhen reads a DTSTART-like property. VALUE=PERIOD values ("start/end")
// count as their start.
func parseWhen(p *ical.Prop) (when, error) {
	if p == nil {
		return when{}, errNoValue
	}
	return parseWhenValue(p.Value, p.Params.Get(ical.ParamTimezoneID), p.Params.Get(ical.ParamValue))
}

func parseWhenValue(v, tzid, valueType string) (when, error) {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '/'); i >= 0 {
		v = v[:i]
	}
	switch {
	case len(v) == 8 || strings.EqualFold(valueType, string(ical.ValueDate)):
		t, err := time.Parse("20060102", v)
		if err != nil {
			return when{}, fmt.Errorf("date %q: %w", v, err)
		}
		return when{wall: t, allDay: true}, nil
	case len(v) == 16 && (v[15] == 'Z' || v[15] == 'z'):
		t, err := time.Parse("20060102T150405", v[:15])
		if err != nil {
			return when{}, fmt.Errorf("date-time %q: %w", v, err)
		}
		return when{wall: t, utc: true}, nil
	default:
		t, err := time.Parse("20060102T150405", v)
		if err != nil {
			return when{}, fmt.Errorf("date-time %q: %w", v, err)
		}
		return when{wall: t, tzid: tzid}, nil
	}
}

// parseWall reads a property as a bare wall time, ignoring zones (used for
// VTIMEZONE onsets, which are local by definition).
func parseWall(p *ical.Prop) (time.Time, bool, error) {
	w, err := parseWhen(p)
	return w.wall, w.allDay, err
}

// parseWhens reads a comma-separated EXDATE or RDATE list, skipping bad
// entries (one typo should not drop a whole series).
func parseWhens(p *ical.Prop) []when {
	var out []when
	for _, v := range strings.Split(p.Value, ",") {
		w, err := parseWhenValue(v, p.Params.Get(ical.ParamTimezoneID), p.Params.Get(ical.ParamValue))
		if err == nil {
			out = append(out, w)
		}
	}
	return out
}

func parseWallList(p *ical.Prop) []time.Time {
	var out []time.Time
	for _, w := range parseWhens(p) {
		out = append(out, w.wall)
	}
	return out
}

// zoneOf returns the zone a value's wall time is read in: UTC, its TZID,
// or the tenant zone for floating times and dates.
func (z *zones) zoneOf(w when) zone {
	switch {
	case w.utc:
		return zone{loc: time.UTC}
	case w.allDay:
		return zone{loc: z.tenant}
	default:
		return z.zone(w.tzid)
	}
}

// text returns a TEXT property's value unescaped. It is lenient where
// go-ical is strict: unknown escapes and bare commas are kept as written.
func text(props ical.Props, name string) string {
	p := props.Get(name)
	if p == nil {
		return ""
	}
	return unescapeText(p.Value)
}

func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',', ':', '"':
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return strings.TrimSpace(b.String())
}

// duration parses an RFC 5545 DURATION. Day and week parts are returned
// separately because they are nominal (a day across a DST switch is 23 or
// 25 hours).
func duration(p *ical.Prop) (days int, exact time.Duration, ok bool) {
	if p == nil {
		return 0, 0, false
	}
	s := strings.ToUpper(strings.TrimSpace(p.Value))
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) < 3 || s[0] != 'P' {
		return 0, 0, false
	}
	s = s[1:]
	inTime := false
	n, digits := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits++; digits > 6 {
				return 0, 0, false
			}
			n = n*10 + int(c-'0')
			continue
		case c == 'T':
			inTime = true
			continue
		}
		if digits == 0 {
			return 0, 0, false
		}
		switch {
		case c == 'W' && !inTime:
			days += 7 * n
		case c == 'D' && !inTime:
			days += n
		case c == 'H' && inTime:
			exact += time.Duration(n) * time.Hour
		case c == 'M' && inTime:
			exact += time.Duration(n) * time.Minute
		case c == 'S' && inTime:
			exact += time.Duration(n) * time.Second
		default:
			return 0, 0, false
		}
		n, digits = 0, 0
	}
	if digits != 0 {
		return 0, 0, false
	}
	if neg {
		days, exact = -days, -exact
	}
	return days, exact, true
}
