package calendar

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"golang.org/x/sync/errgroup"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Fetch returns the user's events that overlap [now, now+Days), sorted by
// start, at most Limit of them. Errors are *upstream.Error with a kind the
// dashboard can explain. Unreadable events are skipped (and logged with
// their count) as long as the calendar holds anything readable.
func (c *Client) Fetch(ctx context.Context, cred upstream.Credential, now time.Time) ([]Event, error) {
	if cred.Token == "" && (cred.Username == "" || cred.Password == "") {
		return nil, upstream.Wrap("calendar", upstream.KindNotSetUp, errors.New("fetch: no credential"))
	}
	from := now.In(c.opts.Location)
	to := from.AddDate(0, 0, c.opts.Days)
	hc := authClient{http: c.opts.HTTPClient, cred: cred}
	endpoint, err := upstream.ExpandURL("calendar", c.opts.URL, cred)
	if err != nil {
		return nil, err
	}

	cals, err := c.calendars(ctx, hc, endpoint)
	if err != nil {
		return nil, wrap(ctx, fmt.Errorf("find calendars: %w", err))
	}
	// Several calendars (work, team, holidays) are queried side by side.
	results := make([][]object, len(cals))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, cal := range cals {
		g.Go(func() error {
			objs, err := query(gctx, hc, cal, from, to)
			if err != nil {
				return fmt.Errorf("query %s: %w", cal.Path, err)
			}
			results[i] = objs
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, wrap(ctx, err)
	}

	var events []Event
	var readable, skipped int
	var firstBad error
	for _, objs := range results {
		for _, o := range objs {
			if ctx.Err() != nil {
				// Expanding is CPU work without a context: stop between objects.
				return nil, wrap(ctx, fmt.Errorf("expand: %w", context.Cause(ctx)))
			}
			evs, err := parse(o.data, from, to, c.opts.Location)
			var bad *BadEventsError
			switch {
			case errors.As(err, &bad):
				skipped += bad.Skipped
				firstBad = cmpOr(firstBad, fmt.Errorf("%s: %w", o.href, bad.Err))
				if len(evs) == 0 {
					continue
				}
			case err != nil:
				skipped++
				firstBad = cmpOr(firstBad, fmt.Errorf("%s: %w", o.href, err))
				continue
			}
			readable++
			for i := range evs {
				evs[i].href = o.href
			}
			events = append(events, evs...)
		}
	}
	if skipped > 0 {
		// No user name and no href in the line: both are personal data. The
		// first error says what the server's data got wrong.
		c.opts.Logger.WarnContext(ctx, "calendar: skipped unreadable events", "upstream", hostOf(endpoint),
			"skipped", skipped, "readable", readable, "first", errors.Unwrap(firstBad))
		if readable == 0 {
			return nil, upstream.Wrap("calendar", upstream.KindBadData, fmt.Errorf("fetch: %d unreadable event(s): %w", skipped, firstBad))
		}
	}
	sortEvents(events)
	if c.opts.Limit > 0 && len(events) > c.opts.Limit {
		events = events[:c.opts.Limit]
	}
	for i := range events {
		events[i].URL = c.link(events[i])
	}
	return events, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// parse decodes one calendar object and expands it; go-ical is guarded
// because the data is the server's (and so anyone's) to choose.
func parse(data string, from, to time.Time, loc *time.Location) (evs []Event, err error) {
	defer func() {
		if r := recover(); r != nil {
			evs, err = nil, fmt.Errorf("ical: %v", r)
		}
	}()
	cal, err := ical.NewDecoder(strings.NewReader(data)).Decode()
	if err != nil {
		return nil, err
	}
	return Expand(cal, from, to, loc)
}
