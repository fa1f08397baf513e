package calendar

import (
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// A zone turns wall-clock times into instants and back. Wall times are
// carried as time.Time values in UTC whose clock fields are the local
// reading, so recurrence rules expand in local time (a weekly 09:00
// meeting stays at 09:00 across a DST switch) whatever the zone's source:
// an IANA name, a VTIMEZONE with non-IANA TZID, UTC or floating.
type zone struct {
	loc *time.Location // IANA, UTC or the tenant zone for floating times
	vtz *vtimezone     // set when only the calendar's VTIMEZONE describes the zone
}

func (z zone) instant(wall time.Time) time.Time {
	if z.vtz != nil {
		return wall.Add(-z.vtz.offsetAt(wall))
	}
	y, m, d := wall.Date()
	hh, mm, ss := wall.Clock()
	return time.Date(y, m, d, hh, mm, ss, 0, z.loc)
}

func (z zone) wall(t time.Time) time.Time {
	if z.vtz != nil {
		return t.UTC().Add(z.vtz.offsetAt(t.UTC()))
	}
	l := t.In(z.loc)
	y, m, d := l.Date()
	hh, mm, ss := l.Clock()
	return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
}

// zones resolves TZIDs for one calendar, caching lookups because
// time.LoadLocation reads the zone database on every call.
type zones struct {
	tenant *time.Location
	vtzs   map[string]*ical.Component
	cache  map[string]zone
}

func newZones(cal *ical.Calendar, tenant *time.Location) *zones {
	z := &zones{tenant: tenant, vtzs: map[string]*ical.Component{}, cache: map[string]zone{}}
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			if p := c.Props.Get(ical.PropTimezoneID); p != nil {
				z.vtzs[p.Value] = c
			}
		}
	}
	return z
}

// windowsZones maps the Windows zone names Outlook and Exchange write as
// TZID to IANA names (the ones German and nearby staff meet in).
var windowsZones = map[string]string{
	"W. Europe Standard Time":        "Europe/Berlin",
	"Central Europe Standard Time":   "Europe/Budapest",
	"Central European Standard Time": "Europe/Warsaw",
	"Romance Standard Time":          "Europe/Paris",
	"GMT Standard Time":              "Europe/London",
	"Greenwich Standard Time":        "Atlantic/Reykjavik",
	"E. Europe Standard Time":        "Europe/Chisinau",
	"FLE Standard Time":              "Europe/Kiev",
	"GTB Standard Time":              "Europe/Bucharest",
	"Turkey Standard Time":           "Europe/Istanbul",
	"Russian Standard Time":          "Europe/Moscow",
	"Eastern Standard Time":          "America/New_York",
	"Central Standard Time":          "America/Chicago",
	"Mountain Standard Time":         "America/Denver",
	"Pacific Standard Time":          "America/Los_Angeles",
	"UTC":                            "UTC",
	"Coordinated Universal Time":     "UTC",
}

// zone returns the zone for a TZID: an IANA name (also behind a vendor
// prefix such as "/mozilla.org/20050126_1/Europe/Berlin"), a Windows
// name, the calendar's VTIMEZONE, or else the tenant zone.
func (z *zones) zone(tzid string) zone {
	if tzid == "" {
		return zone{loc: z.tenant}
	}
	if cached, ok := z.cache[tzid]; ok {
		return cached
	}
	res := zone{loc: z.tenant}
	if tzid == z.tenant.String() {
		// The common case, and loading a zone reads the disk.
	} else if loc := loadIANA(tzid); loc != nil {
		res = zone{loc: loc}
	} else if name, ok := windowsZones[tzid]; ok && loadIANA(name) != nil {
		res = zone{loc: loadIANA(name)}
	} else if c, ok := z.vtzs[tzid]; ok {
		if vtz := parseVTimezone(c); vtz != nil {
			res = zone{vtz: vtz}
		}
	}
	z.cache[tzid] = res
	return res
}

// loadIANA loads name from the zone database, also the trailing
// "Area/City" of vendor-prefixed names. "Local" is refused: the server's
// own zone means nothing to the calendar's author.
func loadIANA(name string) *time.Location {
	name = strings.Trim(name, "\" ")
	if name == "" || name == "Local" || len(name) > 128 {
		return nil
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	parts := strings.Split(name, "/")
	for n := 3; n >= 2; n-- {
		if len(parts) <= n {
			continue
		}
		if loc, err := time.LoadLocation(strings.Join(parts[len(parts)-n:], "/")); err == nil {
			return loc
		}
	}
	return nil
}
