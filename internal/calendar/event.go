package calendar

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// Event is one occurrence of a calendar event as a user sees it. Texts are
// the organiser's data, unescaped from iCalendar but not sanitised: the web
// layer escapes them.
type Event struct {
	UID         string
	Title       string
	Location    string
	Description string
	// Start and End are in the tenant zone. End is exclusive: an all-day
	// event on 2026-11-24 runs from that midnight to the next.
	Start, End time.Time
	AllDay     bool
	// JoinURL is the video meeting link found in the event, if any
	// (always http or https).
	JoinURL string
	// URL opens the event in the web calendar (from Options.WebItemURL,
	// else Options.WebURL).
	URL string
	// href is the calendar object's address on the CalDAV server.
	href string
}

// newEvent builds an occurrence of c. For an override, master supplies
// the texts the override leaves out.
func newEvent(c, master *ical.Component, start, end time.Time, allDay bool) Event {
	get := func(name string) string {
		v := text(c.Props, name)
		if v == "" && master != nil {
			v = text(master.Props, name)
		}
		return v
	}
	e := Event{
		UID:         get(ical.PropUID),
		Title:       get(ical.PropSummary),
		Location:    get(ical.PropLocation),
		Description: get(ical.PropDescription),
		Start:       start,
		End:         end,
		AllDay:      allDay,
	}
	e.JoinURL = JoinURL(joinCandidates(c)...)
	if e.JoinURL == "" && master != nil {
		e.JoinURL = JoinURL(joinCandidates(master)...)
	}
	return e
}

// joinCandidates lists c's properties as "NAME:value" for JoinURL.
func joinCandidates(c *ical.Component) []string {
	names := make([]string, 0, len(c.Props))
	for name := range c.Props {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic when two conference properties compete
	var out []string
	for _, name := range names {
		props := c.Props[name]
		if !isConferenceProp(name) && name != ical.PropURL && name != ical.PropLocation && name != ical.PropDescription {
			continue
		}
		for _, p := range props {
			v := p.Value
			if name == ical.PropLocation || name == ical.PropDescription {
				v = unescapeText(v)
			}
			out = append(out, name+":"+v)
		}
	}
	return out
}

// link is an event's web link: from the item template when set, else
// from WebURL as before.
func (c *Client) link(e Event) string {
	if c.item.IsZero() {
		return deepLink(c.opts.WebURL, e.UID)
	}
	return c.item.Expand(map[string]string{"uid": e.UID, "href": e.href, "date": e.Start.Format(time.DateOnly)})
}

// deepLink fills WebURL's {uid} placeholder with the escaped UID.
func deepLink(webURL, uid string) string {
	if !strings.Contains(webURL, "{uid}") {
		return webURL
	}
	esc := strings.ReplaceAll(url.QueryEscape(uid), "+", "%20")
	return strings.ReplaceAll(webURL, "{uid}", esc)
}

// sortEvents orders events as a day view lists them: by start, all-day
// events first, then by title.
func sortEvents(events []Event) {
	sort.SliceStable(events, func(i, j int) bool {
		a, b := events[i], events[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.AllDay != b.AllDay {
			return a.AllDay
		}
		return a.Title < b.Title
	})
}
