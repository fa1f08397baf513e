package calendar

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// calendars returns the event calendars to query: the URL itself when it
// is a calendar collection, the calendars under it when it is a calendar
// home, else those found from the current user's principal.
func (c *Client) calendars(ctx context.Context, hc authClient, endpoint string) ([]*url.URL, error) {
	base, err := url.Parse(endpoint)
	if err != nil {
		return nil, err
	}
	dav, err := caldav.NewClient(hc, endpoint)
	if err != nil {
		return nil, err
	}
	if p := base.Path; p != "" && p != "/" {
		if isEventCalendar(ctx, hc, base) {
			return []*url.URL{base}, nil
		}
		cals, err := dav.FindCalendars(ctx, p)
		var se *statusError
		switch {
		case err == nil && len(cals) > 0:
			for _, cal := range cals {
				if samePath(cal.Path, p) {
					return []*url.URL{base.ResolveReference(&url.URL{Path: cal.Path})}, nil
				}
			}
			return eventCalendars(base, cals), nil
		case err != nil && !(errors.As(err, &se) && se.Code == 404):
			if errors.As(err, &se) || ctx.Err() != nil || upstream.KindOf(err) == upstream.KindTimeout {
				return nil, err
			}
		}
	}
	principal, err := dav.FindCurrentUserPrincipal(ctx)
	if err != nil {
		return nil, fmt.Errorf("principal: %w", err)
	}
	home, err := dav.FindCalendarHomeSet(ctx, principal)
	if err != nil {
		return nil, fmt.Errorf("calendar home: %w", err)
	}
	cals, err := dav.FindCalendars(ctx, home)
	if err != nil {
		return nil, fmt.Errorf("calendars: %w", err)
	}
	return eventCalendars(base, cals), nil
}

func eventCalendars(base *url.URL, cals []caldav.Calendar) []*url.URL {
	var out []*url.URL
	for _, cal := range cals {
		if len(cal.SupportedComponentSet) > 0 && !containsFold(cal.SupportedComponentSet, ical.CompEvent) {
			continue
		}
		out = append(out, base.ResolveReference(&url.URL{Path: cal.Path}))
	}
	return out
}

func samePath(a, b string) bool {
	return path.Clean("/"+a) == path.Clean("/"+b)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
