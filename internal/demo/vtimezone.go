package demo

import (
	"time"

	"github.com/emersion/go-ical"
)

// berlin is the IANA name of the demo tenant's zone.
const berlin = "Europe/Berlin"

// vtimezone describes loc for the .ics files, since RFC 5545 requires a
// VTIMEZONE for every TZID used. Only Germany's zone is known (with the EU
// rules in force since 1996); for any other zone it returns nil and the
// events are written in UTC instead.
func vtimezone(loc *time.Location) *ical.Component {
	if loc == nil || loc.String() != berlin {
		return nil
	}
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, berlin)
	tz.Children = []*ical.Component{
		tzRule(ical.CompTimezoneDaylight, "CEST", "+0100", "+0200", "19700329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
		tzRule(ical.CompTimezoneStandard, "CET", "+0200", "+0100", "19701025T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
	}
	return tz
}

func tzRule(name, abbr, from, to, start, rule string) *ical.Component {
	c := ical.NewComponent(name)
	set := func(prop, value string) {
		p := ical.NewProp(prop)
		p.Value = value
		c.Props.Set(p)
	}
	set(ical.PropTimezoneName, abbr)
	set(ical.PropTimezoneOffsetFrom, from)
	set(ical.PropTimezoneOffsetTo, to)
	set(ical.PropDateTimeStart, start)
	set(ical.PropRecurrenceRule, rule)
	return c
}
