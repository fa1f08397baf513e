package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"
)

// calendarName is the path segment and display name of the seeded calendar.
const (
	calendarSegment = "dienstkalender"
	calendarName    = "Dienstkalender"
)

// seedEvent is one sample event; fill sets its times and texts.
type seedEvent struct {
	slug string // UID and file name
	fill func(ev *ical.Component)
}

// sampleEvents are the demo meetings, dated relative to now in loc:
// a meeting running right now with a Jitsi link, an IT consultation later
// today with a BigBlueButton link in the description, tomorrow's all-day
// staff outing, a weekly meeting with one cancelled week, a meeting with
// an RFC 7986 CONFERENCE property and one title full of markup that must
// be shown as text.
func sampleEvents(now time.Time, loc *time.Location) []seedEvent {
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	at := func(days, hour, minute int) time.Time {
		return time.Date(midnight.Year(), midnight.Month(), midnight.Day()+days, hour, minute, 0, 0, loc)
	}
	// The team meeting began up to 30 minutes ago, so the dashboard shows
	// a meeting to join right away.
	team := local.Truncate(15 * time.Minute).Add(-15 * time.Minute)
	// The weekly meeting falls on the day after tomorrow; it began four
	// weeks ago and did not take place two weeks ago. Last week's minutes
	// are among the sample files.
	weeklyFirst := at(2-28, 10, 0)
	weeklyCancelled := at(2-14, 10, 0)

	return []seedEvent{
		{slug: "teambesprechung-buergerbuero", fill: func(ev *ical.Component) {
			ev.Props.SetText(ical.PropSummary, "Teambesprechung Bürgerbüro")
			setTimes(ev, team, team.Add(time.Hour), loc)
			ev.Props.SetText(ical.PropLocation, "Rathaus, Raum 1.12 / https://meet.jit.si/musterstadt-team")
			ev.Props.SetText(ical.PropDescription, "Tagesordnung: Dienstplan, Terminvergabe online, Verschiedenes.")
		}},
		{slug: "sprechstunde-it", fill: func(ev *ical.Component) {
			ev.Props.SetText(ical.PropSummary, "Sprechstunde IT")
			setTimes(ev, team.Add(3*time.Hour), team.Add(4*time.Hour), loc)
			ev.Props.SetText(ical.PropDescription, "Offene Sprechstunde des IT-Service für Fragen zu Fachverfahren und Telearbeit.\n"+
				"Online: https://bbb.musterstadt.example/b/max-it-sprechstunde")
		}},
		{slug: "betriebsausflug", fill: func(ev *ical.Component) {
			ev.Props.SetText(ical.PropSummary, "Betriebsausflug")
			ev.Props.SetDate(ical.PropDateTimeStart, at(1, 0, 0))
			ev.Props.SetDate(ical.PropDateTimeEnd, at(2, 0, 0))
			ev.Props.SetText(ical.PropLocation, "Treffpunkt: Busbahnhof Musterstadt, 8:30 Uhr")
			ev.Props.SetText(ical.PropTransparency, "TRANSPARENT")
		}},
		{slug: "jour-fixe-amtsleitung", fill: func(ev *ical.Component) {
			ev.Props.SetText(ical.PropSummary, "Jour fixe Amtsleitung")
			setTimes(ev, weeklyFirst, weeklyFirst.Add(time.Hour), loc)
			ev.Props.SetText(ical.PropLocation, "Amtszimmer der Bürgermeisterin")
			rule := ical.NewProp(ical.PropRecurrenceRule)
			rule.Value = "FREQ=WEEKLY"
			ev.Props.Set(rule)
			exdate := ical.NewProp(ical.PropExceptionDates)
			setDateTime(exdate, weeklyCancelled, loc)
			ev.Props.Set(exdate)
		}},
		{slug: "abstimmung-digitalisierung", fill: func(ev *ical.Component) {
			ev.Props.SetText(ical.PropSummary, "Abstimmung Digitalisierung Bürgerservice")
			setTimes(ev, at(2, 14, 0), at(2, 15, 0), loc)
			conf := ical.NewProp("CONFERENCE")
			conf.SetValueType(ical.ValueURI)
			conf.Params["FEATURE"] = []string{"AUDIO", "VIDEO"}
			conf.Params.Set("LABEL", "Element Call")
			conf.Value = "https://call.element.io/musterstadt-digitalisierung"
			ev.Props.Set(conf)
		}},
		{slug: "schulung-phishing", fill: func(ev *ical.Component) {
			ev.Props.SetText(ical.PropSummary, `Schulung: <script>alert("Phishing")</script> erkennen & melden`)
			setTimes(ev, at(3, 9, 0), at(3, 12, 0), loc)
			ev.Props.SetText(ical.PropLocation, "Schulungsraum <b>EG</b>")
		}},
	}
}

// seedCalendars gives every user the sample calendar.
func seedCalendars(users map[string]string, now time.Time, loc *time.Location) (map[string]*calendarSet, error) {
	sets := make(map[string]*calendarSet, len(users))
	for login := range users {
		cal := caldav.Calendar{
			Path:                  calendarHomePath(login) + calendarSegment + "/",
			Name:                  calendarName,
			Description:           "Termine der Stadtverwaltung Musterstadt (Demo)",
			SupportedComponentSet: []string{ical.CompEvent},
		}
		set := &calendarSet{calendars: []caldav.Calendar{cal}, objects: map[string][]caldav.CalendarObject{}}
		for _, se := range sampleEvents(now, loc) {
			co, err := newCalendarObject(cal.Path, se, now, loc)
			if err != nil {
				return nil, fmt.Errorf("demo: seed calendar %s: %w", se.slug, err)
			}
			set.objects[cal.Path] = append(set.objects[cal.Path], co)
		}
		sets[login] = set
	}
	return sets, nil
}

// newCalendarObject wraps one event in a VCALENDAR and encodes it once,
// which checks it against go-ical's rules and yields size and ETag.
func newCalendarObject(calPath string, se seedEvent, now time.Time, loc *time.Location) (caldav.CalendarObject, error) {
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, se.slug+"@"+mailDomain)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
	se.fill(ev.Component)

	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Pforte//Demo//DE")
	if tz := vtimezone(loc); tz != nil && usesTZID(ev.Component) {
		cal.Children = append(cal.Children, tz)
	}
	cal.Children = append(cal.Children, ev.Component)

	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return caldav.CalendarObject{}, err
	}
	sum := sha256.Sum256(buf.Bytes())
	return caldav.CalendarObject{
		Path:          calPath + se.slug + ".ics",
		ModTime:       now.Add(-24 * time.Hour),
		ContentLength: int64(buf.Len()),
		ETag:          hex.EncodeToString(sum[:16]),
		Data:          cal,
	}, nil
}

// setTimes sets DTSTART and DTEND.
func setTimes(ev *ical.Component, start, end time.Time, loc *time.Location) {
	s, e := ical.NewProp(ical.PropDateTimeStart), ical.NewProp(ical.PropDateTimeEnd)
	setDateTime(s, start, loc)
	setDateTime(e, end, loc)
	ev.Props.Set(s)
	ev.Props.Set(e)
}

// setDateTime writes t with a TZID when vtimezone describes loc, so
// weekly events keep their wall-clock time across DST; else in UTC.
func setDateTime(p *ical.Prop, t time.Time, loc *time.Location) {
	if vtimezone(loc) != nil {
		p.SetDateTime(t.In(loc))
		return
	}
	p.SetDateTime(t.UTC())
}

// usesTZID reports whether any property of comp names a time zone.
func usesTZID(comp *ical.Component) bool {
	for _, props := range comp.Props {
		for _, p := range props {
			if p.Params.Get(ical.PropTimezoneID) != "" {
				return true
			}
		}
	}
	return false
}
