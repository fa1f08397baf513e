// Package calendar reads a user's meetings from a CalDAV server (Radicale,
// Nextcloud, SOGo, …) for the dashboard: today's and the next days' events,
// recurrences expanded by Pforte itself, each with its video meeting link.
package calendar

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/itemurl"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Options configures a Client.
type Options struct {
	// URL is the CalDAV endpoint. It may contain {user}, replaced by the
	// path-escaped user name. A calendar collection is read directly;
	// "" (use WebURL's server), a server root, a principal or a calendar
	// home is searched for the user's calendars.
	URL string
	// WebURL opens an event in the web calendar; {uid} is replaced by the
	// URL-escaped event UID. Without {uid} every event links to WebURL.
	WebURL string
	// WebItemURL, when set, replaces WebURL for an event's link. Its
	// placeholders are {uid} (the event's UID), {href} (the calendar
	// object's path on the CalDAV server, as the server names it) and
	// {date} (the occurrence's start day, 2006-01-02 in Location), each
	// escaped as one URL component (itemurl.Escape).
	WebItemURL string
	// Days is the length of the window from now; 7 when zero.
	Days int
	// Location is the tenant's time zone: floating times and all-day
	// events are read in it, and events are returned in it. UTC when nil.
	Location *time.Location
	// HTTPClient sends the requests; a client with a 30 s timeout when nil.
	HTTPClient *http.Client
	// Limit caps the events Fetch returns (the earliest); 0 means no cap.
	Limit int
	// Logger receives warnings such as skipped unreadable events; none when nil.
	Logger *slog.Logger
}

// Client fetches events over CalDAV. It is safe for concurrent use.
type Client struct {
	opts Options
	item itemurl.Template
}

// New checks opts and returns a Client.
func New(opts Options) (*Client, error) {
	if opts.URL == "" {
		opts.URL = serverRoot(opts.WebURL)
	}
	if opts.URL == "" {
		return nil, errors.New("calendar: new: no CalDAV URL")
	}
	u, err := url.Parse(upstream.ProbeURL(opts.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("calendar: new: URL must be an absolute http(s) URL")
	}
	if opts.Days < 0 || opts.Limit < 0 {
		return nil, errors.New("calendar: new: Days and Limit must not be negative")
	}
	if opts.Days == 0 {
		opts.Days = 7
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	item, err := itemurl.Parse(opts.WebItemURL, itemurl.Calendar())
	if err != nil {
		return nil, fmt.Errorf("calendar: new: web item URL %q: %w", opts.WebItemURL, err)
	}
	return &Client{opts: opts, item: item}, nil
}

// serverRoot returns scheme://host/ of a URL, or "".
func serverRoot(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/"
}
