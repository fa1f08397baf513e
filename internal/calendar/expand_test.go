package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

// berlin is the tenant zone of most tests.
func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// parseICS decodes a VCALENDAR around the given lines.
func parseICS(t testing.TB, body string) *ical.Calendar {
	t.Helper()
	s := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pforte//Test//EN\r\n" +
		strings.ReplaceAll(strings.TrimSpace(body), "\n", "\r\n") + "\r\nEND:VCALENDAR\r\n"
	cal, err := ical.NewDecoder(strings.NewReader(s)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, s)
	}
	return cal
}

// seen renders events as a user reads them: "Mon 19.10. 09:00-10:00 Title".
func seen(evs []Event) []string {
	out := make([]string, 0, len(evs))
	for _, e := range evs {
		if e.AllDay {
			out = append(out, e.Start.Format("Mon 02.01.")+" bis "+e.End.Format("Mon 02.01.")+" ganztägig "+e.Title)
			continue
		}
		out = append(out, e.Start.Format("Mon 02.01. 15:04")+"-"+e.End.Format("15:04 MST")+" "+e.Title)
	}
	return out
}

func TestExpand(t *testing.T) {
	loc := berlin(t)
	from := time.Date(2026, 10, 19, 8, 0, 0, 0, loc) // a Monday; DST ends Sunday 25.10.
	to := from.AddDate(0, 0, 14)
	tests := []struct {
		name string
		ics  string
		want []string
	}{{
		name: "weekly meeting keeps its local time across the DST switch",
		ics: `BEGIN:VEVENT
UID:jour-fixe
DTSTART;TZID=Europe/Berlin:20260907T090000
DTEND;TZID=Europe/Berlin:20260907T100000
RRULE:FREQ=WEEKLY;BYDAY=MO
SUMMARY:Jour fixe
END:VEVENT`,
		want: []string{"Mon 19.10. 09:00-10:00 CEST Jour fixe", "Mon 26.10. 09:00-10:00 CET Jour fixe"},
	}, {
		name: "EXDATE removes, RECURRENCE-ID moves and a cancelled override hides instances",
		ics: `BEGIN:VEVENT
UID:team
DTSTART;TZID=Europe/Berlin:20261001T140000
DTEND;TZID=Europe/Berlin:20261001T150000
RRULE:FREQ=WEEKLY;COUNT=10
EXDATE;TZID=Europe/Berlin:20261022T140000
SUMMARY:Teamrunde
END:VEVENT
BEGIN:VEVENT
UID:team
RECURRENCE-ID;TZID=Europe/Berlin:20261029T140000
DTSTART;TZID=Europe/Berlin:20261030T110000
DTEND;TZID=Europe/Berlin:20261030T120000
SUMMARY:Teamrunde (verschoben)
END:VEVENT`,
		want: []string{"Fri 30.10. 11:00-12:00 CET Teamrunde (verschoben)"},
	}, {
		name: "cancelled override and cancelled master",
		ics: `BEGIN:VEVENT
UID:daily
DTSTART:20261019T070000Z
DURATION:PT15M
RRULE:FREQ=DAILY;UNTIL=20261021T070000Z
SUMMARY:Daily
END:VEVENT
BEGIN:VEVENT
UID:daily
RECURRENCE-ID:20261020T070000Z
DTSTART:20261020T070000Z
DURATION:PT15M
STATUS:CANCELLED
SUMMARY:Daily
END:VEVENT
BEGIN:VEVENT
UID:gone
DTSTART:20261020T100000Z
DTEND:20261020T110000Z
STATUS:CANCELLED
SUMMARY:Abgesagt
END:VEVENT`,
		want: []string{"Mon 19.10. 09:00-09:15 CEST Daily", "Wed 21.10. 09:00-09:15 CEST Daily"},
	}, {
		name: "all-day events are calendar days in the tenant zone, end exclusive",
		ics: `BEGIN:VEVENT
UID:ausflug
DTSTART;VALUE=DATE:20261022
DTEND;VALUE=DATE:20261025
SUMMARY:Betriebsausflug
END:VEVENT
BEGIN:VEVENT
UID:feiertag
DTSTART;VALUE=DATE:20261031
SUMMARY:Reformationstag
END:VEVENT`,
		want: []string{"Thu 22.10. bis Sun 25.10. ganztägig Betriebsausflug", "Sat 31.10. bis Sun 01.11. ganztägig Reformationstag"},
	}, {
		name: "floating times are tenant time, UTC is converted",
		ics: `BEGIN:VEVENT
UID:f
DTSTART:20261020T100000
DTEND:20261020T103000
SUMMARY:Floating
END:VEVENT
BEGIN:VEVENT
UID:u
DTSTART:20261027T100000Z
DTEND:20261027T103000Z
SUMMARY:UTC
END:VEVENT`,
		want: []string{"Tue 20.10. 10:00-10:30 CEST Floating", "Tue 27.10. 11:00-11:30 CET UTC"},
	}, {
		name: "a VTIMEZONE with a non-IANA name is used for its offsets",
		ics: `BEGIN:VTIMEZONE
TZID:Amtszeit Ost
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0300
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0300
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:helsinki
DTSTART;TZID=Amtszeit Ost:20261020T100000
DTEND;TZID=Amtszeit Ost:20261020T110000
RRULE:FREQ=WEEKLY;COUNT=2
SUMMARY:Partnerstadt
END:VEVENT`,
		want: []string{"Tue 20.10. 09:00-10:00 CEST Partnerstadt", "Tue 27.10. 09:00-10:00 CET Partnerstadt"},
	}, {
		name: "Windows and vendor-prefixed zone names",
		ics: `BEGIN:VEVENT
UID:outlook
DTSTART;TZID=W. Europe Standard Time:20261021T080000
DTEND;TZID=W. Europe Standard Time:20261021T083000
SUMMARY:Outlook
END:VEVENT
BEGIN:VEVENT
UID:thunderbird
DTSTART;TZID=/mozilla.org/20050126_1/Europe/London:20261021T080000
DTEND;TZID=/mozilla.org/20050126_1/Europe/London:20261021T083000
SUMMARY:London
END:VEVENT`,
		want: []string{"Wed 21.10. 08:00-08:30 CEST Outlook", "Wed 21.10. 09:00-09:30 CEST London"},
	}, {
		name: "RDATE adds and UNTIL ends a series",
		ics: `BEGIN:VEVENT
UID:r
DTSTART;TZID=Europe/Berlin:20261012T160000
DTEND;TZID=Europe/Berlin:20261012T170000
RRULE:FREQ=WEEKLY;UNTIL=20261019T140000Z
RDATE;TZID=Europe/Berlin:20261028T160000,20261029T160000
SUMMARY:Sprechstunde
END:VEVENT`,
		want: []string{"Mon 19.10. 16:00-17:00 CEST Sprechstunde", "Wed 28.10. 16:00-17:00 CET Sprechstunde", "Thu 29.10. 16:00-17:00 CET Sprechstunde"},
	}, {
		name: "titles are text: escapes undone, umlauts and markup kept literally",
		ics: `BEGIN:VEVENT
UID:t
DTSTART:20261019T100000Z
DTEND:20261019T110000Z
SUMMARY:<b>Abstimmung</b> Bürgerbüro\, Raum 1\; <script>alert(1)</script>
END:VEVENT`,
		want: []string{"Mon 19.10. 12:00-13:00 CEST <b>Abstimmung</b> Bürgerbüro, Raum 1; <script>alert(1)</script>"},
	}, {
		name: "an instance moved into the window from a later week",
		ics: `BEGIN:VEVENT
UID:monthly
DTSTART;TZID=Europe/Berlin:20260910T100000
DTEND;TZID=Europe/Berlin:20260910T110000
RRULE:FREQ=MONTHLY;BYMONTHDAY=10
SUMMARY:Monatsgespräch
END:VEVENT
BEGIN:VEVENT
UID:monthly
RECURRENCE-ID;TZID=Europe/Berlin:20261110T100000
DTSTART;TZID=Europe/Berlin:20261023T100000
DTEND;TZID=Europe/Berlin:20261023T110000
SUMMARY:Monatsgespräch (vorgezogen)
END:VEVENT`,
		want: []string{"Fri 23.10. 10:00-11:00 CEST Monatsgespräch (vorgezogen)"},
	}, {
		name: "weekly all-day event with an excluded date",
		ics: `BEGIN:VEVENT
UID:homeoffice
DTSTART;VALUE=DATE:20261002
DTEND;VALUE=DATE:20261003
RRULE:FREQ=WEEKLY
EXDATE;VALUE=DATE:20261023
SUMMARY:Homeoffice
END:VEVENT`,
		want: []string{"Fri 30.10. bis Sat 31.10. ganztägig Homeoffice"},
	}, {
		// Some clients exclude a day of a timed series with a date-only
		// EXDATE: the whole day is off, whatever the time of the meeting.
		name: "timed weekly meeting with an all-day EXDATE skips that day only",
		ics: `BEGIN:VEVENT
UID:standup
DTSTART;TZID=Europe/Berlin:20261007T091500
DTEND;TZID=Europe/Berlin:20261007T093000
RRULE:FREQ=WEEKLY
EXDATE;VALUE=DATE:20261021
SUMMARY:Stand-up
END:VEVENT`,
		want: []string{"Wed 28.10. 09:15-09:30 CET Stand-up"},
	}, {
		name: "an event that ended before now is not shown, one still running is",
		ics: `BEGIN:VEVENT
UID:old
DTSTART:20261019T050000Z
DTEND:20261019T055900Z
SUMMARY:Vorbei
END:VEVENT
BEGIN:VEVENT
UID:running
DTSTART:20261019T050000Z
DTEND:20261019T063000Z
SUMMARY:Läuft noch
END:VEVENT`,
		want: []string{"Mon 19.10. 07:00-08:30 CEST Läuft noch"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := Expand(parseICS(t, tt.ics), from, to, loc)
			if err != nil {
				t.Fatal(err)
			}
			got := seen(evs)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestExpandDSTKeepsLocalNotUTC(t *testing.T) {
	loc := berlin(t)
	cal := parseICS(t, `BEGIN:VEVENT
UID:w
DTSTART;TZID=Europe/Berlin:20261019T090000
DTEND;TZID=Europe/Berlin:20261019T100000
RRULE:FREQ=WEEKLY
SUMMARY:Jour fixe
END:VEVENT`)
	from := time.Date(2026, 10, 19, 0, 0, 0, 0, loc)
	evs, err := Expand(cal, from, from.AddDate(0, 0, 14), loc)
	if err != nil || len(evs) != 2 {
		t.Fatalf("got %v, %v", evs, err)
	}
	if h := evs[0].Start.UTC().Hour(); h != 7 {
		t.Errorf("before the switch 09:00 Berlin is 07:00 UTC, got %d", h)
	}
	if h := evs[1].Start.UTC().Hour(); h != 8 {
		t.Errorf("after the switch 09:00 Berlin is 08:00 UTC, got %d", h)
	}
}

func TestExpandSkipsBrokenEvents(t *testing.T) {
	loc := berlin(t)
	cal := parseICS(t, `BEGIN:VEVENT
UID:bad
DTSTART:gestern
SUMMARY:Kaputt
END:VEVENT
BEGIN:VEVENT
UID:badrule
DTSTART:20261019T100000Z
RRULE:FREQ=SOMETIMES
SUMMARY:Kaputte Regel
END:VEVENT
BEGIN:VEVENT
UID:good
DTSTART:20261020T100000Z
DTEND:20261020T110000Z
SUMMARY:Heil
END:VEVENT`)
	from := time.Date(2026, 10, 19, 8, 0, 0, 0, loc)
	evs, err := Expand(cal, from, from.AddDate(0, 0, 7), loc)
	var bad *BadEventsError
	if !errors.As(err, &bad) || bad.Skipped != 2 {
		t.Fatalf("want 2 skipped events, got %v", err)
	}
	if len(evs) != 1 || evs[0].Title != "Heil" {
		t.Fatalf("the readable event must still be shown, got %v", seen(evs))
	}
}

func TestExpandBoundsHostileRules(t *testing.T) {
	loc := berlin(t)
	from := time.Date(2026, 10, 19, 8, 0, 0, 0, loc)
	tests := []struct {
		name, rule string
		dtstart    string
		max        int
	}{
		{"every second is shown once", "FREQ=SECONDLY", "20261019T100000Z", 1},
		{"hourly with a filter it never meets", "FREQ=HOURLY;INTERVAL=24;BYHOUR=5", "20261019T040000Z", 1},
		{"many times a day for a year", "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", "20261019T100000Z", MaxInstances},
		{"a rule that never matches", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "19000101T100000Z", 0},
		{"a daily rule from the year 1", "FREQ=DAILY", "00010101T100000Z", 0},
		{"a huge COUNT", "FREQ=WEEKLY;COUNT=2000000000", "20261019T100000Z", 53},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := parseICS(t, "BEGIN:VEVENT\nUID:x\nDTSTART:"+tt.dtstart+"\nRRULE:"+tt.rule+"\nSUMMARY:x\nEND:VEVENT")
			evs, _ := Expand(cal, from, from.AddDate(1, 0, 0), loc)
			if len(evs) > tt.max {
				t.Errorf("%d instances, want at most %d", len(evs), tt.max)
			}
		})
	}
}

func TestExpandJoinAndOverrideTexts(t *testing.T) {
	loc := berlin(t)
	cal := parseICS(t, `BEGIN:VEVENT
UID:j
DTSTART:20261019T100000Z
DTEND:20261019T110000Z
RRULE:FREQ=DAILY;COUNT=2
LOCATION:Raum 2 oder https://meet.jit.si/StadtAmtRunde.
SUMMARY:Jitsi
END:VEVENT
BEGIN:VEVENT
UID:j
RECURRENCE-ID:20261020T100000Z
DTSTART:20261020T120000Z
DTEND:20261020T130000Z
END:VEVENT`)
	from := time.Date(2026, 10, 19, 8, 0, 0, 0, loc)
	evs, err := Expand(cal, from, from.AddDate(0, 0, 7), loc)
	if err != nil || len(evs) != 2 {
		t.Fatalf("got %v, %v", seen(evs), err)
	}
	for _, e := range evs {
		if e.Title != "Jitsi" || e.JoinURL != "https://meet.jit.si/StadtAmtRunde" {
			t.Errorf("override must inherit title and link: %+v", e)
		}
	}
	if evs[1].Start.Hour() != 14 {
		t.Errorf("moved instance at %v, want 14:00", evs[1].Start)
	}
}

func TestExpandBudgetPerCalendar(t *testing.T) {
	loc := berlin(t)
	var b strings.Builder
	const n = 30 // each walks about 46,000 days from 1900: together more than maxScanPerCalendar
	for i := range n {
		b.WriteString("BEGIN:VEVENT\nUID:old-" + string(rune('A'+i)) + "\nDTSTART:19000101T100000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY\nSUMMARY:Alt\nEND:VEVENT\n")
	}
	from := time.Date(2026, 10, 19, 8, 0, 0, 0, loc)
	evs, err := Expand(parseICS(t, b.String()), from, from.AddDate(0, 0, 1), loc)
	var bad *BadEventsError
	if !errors.As(err, &bad) || bad.Skipped == 0 || bad.Skipped == n {
		t.Fatalf("want some but not all series skipped for budget, got %v", err)
	}
	if len(evs) != n-bad.Skipped {
		t.Errorf("%d occurrences shown, want one per series within budget (%d)", len(evs), n-bad.Skipped)
	}
}
