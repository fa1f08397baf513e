package demo

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"
)

func calDAVClient(t *testing.T, u *Upstreams, login, endpoint string) *caldav.Client {
	t.Helper()
	hc := webdav.HTTPClientWithBasicAuth(httpClient(t), login, u.Users[login])
	c, err := caldav.NewClient(hc, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A CalDAV client given only the server finds the user's calendar by
// discovery, as the calendar connector does with a bare server URL.
func TestCalDAVDiscoveryFromServerRoot(t *testing.T) {
	u, _, _ := startDemo(t)
	home := userURL(u.CalDAVURL, "erika")
	hu, err := url.Parse(home)
	if err != nil {
		t.Fatal(err)
	}
	root := hu.Scheme + "://" + hu.Host + "/"

	// The principal without its trailing slash is how go-webdav's client
	// asks when given the principal URL.
	for _, endpoint := range []string{root, root + ".well-known/caldav", root + "caldav/erika"} {
		c := calDAVClient(t, u, "erika", endpoint)
		principal, err := c.FindCurrentUserPrincipal(t.Context())
		if err != nil || principal != "/caldav/erika/" {
			t.Fatalf("%s: principal = %q, %v; want /caldav/erika/", endpoint, principal, err)
		}
		homeSet, err := c.FindCalendarHomeSet(t.Context(), principal)
		if err != nil || homeSet != hu.Path {
			t.Fatalf("%s: calendar home = %q, %v; want %q", endpoint, homeSet, err, hu.Path)
		}
		cals, err := c.FindCalendars(t.Context(), homeSet)
		if err != nil || len(cals) != 1 || cals[0].Name != "Dienstkalender" {
			t.Fatalf("%s: calendars = %+v, %v; want the Dienstkalender", endpoint, cals, err)
		}
	}
}

// The configured URL works directly, and a time-range query answers the
// week's meetings, recurrences and exceptions included.
func TestCalDAVQueryReturnsTheWeek(t *testing.T) {
	u, now, _ := startDemo(t)
	home := userURL(u.CalDAVURL, "max")
	c := calDAVClient(t, u, "max", home)
	hu, _ := url.Parse(home)
	cals, err := c.FindCalendars(t.Context(), hu.Path)
	if err != nil || len(cals) != 1 {
		t.Fatalf("calendars at the configured URL = %+v, %v", cals, err)
	}
	cal := cals[0].Path

	week := query(t, c, cal, now, now.AddDate(0, 0, 7))
	wantTitles := []string{
		"Abstimmung Digitalisierung Bürgerservice",
		"Betriebsausflug",
		"Jour fixe Amtsleitung",
		`Schulung: <script>alert("Phishing")</script> erkennen & melden`,
		"Sprechstunde IT",
		"Teambesprechung Bürgerbüro",
	}
	if got := titles(week); !slices.Equal(got, wantTitles) {
		t.Fatalf("this week's events = %q, want %q", got, wantTitles)
	}

	team := week["Teambesprechung Bürgerbüro"]
	start, err := team.DateTimeStart(nil)
	if err != nil || !start.Before(now) {
		t.Errorf("the team meeting starts %v (%v), want before now so it is running", start, err)
	}
	if loc := prop(team, ical.PropLocation); !strings.Contains(loc, "https://meet.jit.si/musterstadt-team") {
		t.Errorf("team meeting location %q lacks the Jitsi link", loc)
	}
	if d := prop(week["Sprechstunde IT"], ical.PropDescription); !strings.Contains(d, "https://bbb.musterstadt.example/b/") {
		t.Errorf("IT consultation description %q lacks the BigBlueButton link", d)
	}
	if conf := prop(week["Abstimmung Digitalisierung Bürgerservice"], "CONFERENCE"); conf != "https://call.element.io/musterstadt-digitalisierung" {
		t.Errorf("CONFERENCE = %q", conf)
	}
	outing := week["Betriebsausflug"].Props.Get(ical.PropDateTimeStart)
	if outing.ValueType() != ical.ValueDate || outing.Value != "20261125" {
		t.Errorf("Betriebsausflug DTSTART = %v %q, want the date of tomorrow", outing.ValueType(), outing.Value)
	}

	// The weekly meeting is on Thursdays at 10:00 in Berlin; the one two
	// weeks ago was cancelled (EXDATE), those before and after took place.
	loc := now.Location()
	for _, tt := range []struct {
		day  time.Time
		want bool
	}{
		{time.Date(2026, 11, 26, 0, 0, 0, 0, loc), true},
		{time.Date(2026, 11, 19, 0, 0, 0, 0, loc), true},
		{time.Date(2026, 11, 12, 0, 0, 0, 0, loc), false},
		{time.Date(2026, 11, 5, 0, 0, 0, 0, loc), true},
	} {
		evs := query(t, c, cal, tt.day, tt.day.AddDate(0, 0, 1))
		if _, ok := evs["Jour fixe Amtsleitung"]; ok != tt.want {
			t.Errorf("Jour fixe on %s listed = %v, want %v", tt.day.Format("2006-01-02"), ok, tt.want)
		}
	}
	// A window in the middle of the running team meeting still finds it.
	if evs := query(t, c, cal, now, now.Add(time.Minute)); len(evs) != 1 || evs["Teambesprechung Bürgerbüro"].Component == nil {
		t.Errorf("events at this minute = %q, want the running team meeting", titles(evs))
	}
}

// One user never reaches another's calendars, and nobody without a
// password reaches any.
func TestCalDAVAccess(t *testing.T) {
	u, _, _ := startDemo(t)
	hc := httpClient(t)
	for _, tt := range []struct {
		name, login, password, url string
		want                       int
	}{
		{"own home", "erika", u.Users["erika"], userURL(u.CalDAVURL, "erika"), http.StatusMultiStatus},
		{"other user's home", "erika", u.Users["erika"], userURL(u.CalDAVURL, "max"), http.StatusForbidden},
		{"other user's principal", "erika", u.Users["erika"], strings.TrimSuffix(userURL(u.CalDAVURL, "max"), "calendars/"), http.StatusForbidden},
		{"no password", "", "", userURL(u.CalDAVURL, "erika"), http.StatusUnauthorized},
		{"wrong password", "erika", u.Users["max"], userURL(u.CalDAVURL, "erika"), http.StatusUnauthorized},
	} {
		req, err := http.NewRequestWithContext(t.Context(), "PROPFIND", tt.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Depth", "1")
		if tt.login != "" {
			req.SetBasicAuth(tt.login, tt.password)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: PROPFIND = %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
}

// query returns the events of a time-range query by title.
func query(t *testing.T, c *caldav.Client, cal string, from, to time.Time) map[string]ical.Event {
	t.Helper()
	objs, err := c.QueryCalendar(t.Context(), cal, &caldav.CalendarQuery{
		CompRequest: caldav.CalendarCompRequest{Name: ical.CompCalendar, AllProps: true, AllComps: true},
		CompFilter: caldav.CompFilter{Name: ical.CompCalendar, Comps: []caldav.CompFilter{{
			Name: ical.CompEvent, Start: from.UTC(), End: to.UTC(),
		}}},
	})
	if err != nil {
		t.Fatalf("QueryCalendar: %v", err)
	}
	out := map[string]ical.Event{}
	for _, o := range objs {
		for _, ev := range o.Data.Events() {
			title, err := ev.Props.Text(ical.PropSummary)
			if err != nil {
				t.Fatalf("%s: SUMMARY: %v", o.Path, err)
			}
			out[title] = ev
		}
	}
	return out
}

func titles(evs map[string]ical.Event) []string {
	var out []string
	for title := range evs {
		out = append(out, title)
	}
	slices.Sort(out)
	return out
}

func prop(ev ical.Event, name string) string {
	p := ev.Props.Get(name)
	if p == nil {
		return ""
	}
	if name == "CONFERENCE" {
		return p.Value
	}
	s, _ := p.Text()
	return s
}

// A tenant outside Germany gets the same week, written in UTC.
func TestCalDAVInUTC(t *testing.T) {
	now, _ := testNow(t)
	u, err := Start(t.Context(), now, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = u.Close() })
	home := userURL(u.CalDAVURL, "erika")
	hu, _ := url.Parse(home)
	c := calDAVClient(t, u, "erika", home)
	week := query(t, c, hu.Path+calendarSegment+"/", now, now.AddDate(0, 0, 7))
	if len(week) != 6 {
		t.Fatalf("this week's events = %q, want 6", titles(week))
	}
	start := week["Jour fixe Amtsleitung"].Props.Get(ical.PropDateTimeStart)
	if start.Params.Get(ical.PropTimezoneID) != "" || !strings.HasSuffix(start.Value, "Z") {
		t.Errorf("DTSTART = %+v, want UTC", start)
	}
}
