package demo

import (
	"context"
	"errors"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"
)

// caldavPrefix roots the CalDAV tree. go-webdav's caldav.Handler tells
// resources apart by depth below it: /caldav/{user}/ is the principal,
// /caldav/{user}/calendars/ the calendar home, one level deeper a
// calendar and then its events.
const caldavPrefix = "/caldav"

func principalPath(login string) string    { return caldavPrefix + "/" + login + "/" }
func calendarHomePath(login string) string { return principalPath(login) + "calendars/" }

// calendarSet is one user's calendars and their events.
type calendarSet struct {
	calendars []caldav.Calendar
	// objects maps a calendar's path to its events, sorted by path.
	objects map[string][]caldav.CalendarObject
}

// calendarBackend serves the seeded calendars read-only: the demo's
// meetings stay as seeded however clients behave. Every method acts for
// the user the basic-auth wrapper put in the request context, so one user
// never sees another's calendars. The data is never written after
// seeding, so no lock is needed.
type calendarBackend struct {
	sets map[string]*calendarSet // by login
	loc  *time.Location
}

var _ caldav.Backend = (*calendarBackend)(nil)

// errReadOnly answers every attempt to change the demo calendars.
func errReadOnly() error {
	return webdav.NewHTTPError(http.StatusForbidden, errors.New("demo: calendars are read-only"))
}

func (b *calendarBackend) set(ctx context.Context) (string, *calendarSet, error) {
	login, ok := loginFrom(ctx)
	if !ok {
		return "", nil, webdav.NewHTTPError(http.StatusUnauthorized, errors.New("demo: not signed in"))
	}
	set := b.sets[login]
	if set == nil {
		return "", nil, webdav.NewHTTPError(http.StatusNotFound, errors.New("demo: no calendars"))
	}
	return login, set, nil
}

// CurrentUserPrincipal implements webdav.UserPrincipalBackend.
func (b *calendarBackend) CurrentUserPrincipal(ctx context.Context) (string, error) {
	login, _, err := b.set(ctx)
	if err != nil {
		return "", err
	}
	return principalPath(login), nil
}

// CalendarHomeSetPath implements caldav.Backend.
func (b *calendarBackend) CalendarHomeSetPath(ctx context.Context) (string, error) {
	login, _, err := b.set(ctx)
	if err != nil {
		return "", err
	}
	return calendarHomePath(login), nil
}

// ListCalendars implements caldav.Backend.
func (b *calendarBackend) ListCalendars(ctx context.Context) ([]caldav.Calendar, error) {
	_, set, err := b.set(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(set.calendars), nil
}

// GetCalendar implements caldav.Backend.
func (b *calendarBackend) GetCalendar(ctx context.Context, p string) (*caldav.Calendar, error) {
	_, set, err := b.set(ctx)
	if err != nil {
		return nil, err
	}
	p = collectionPath(p)
	for _, cal := range set.calendars {
		if cal.Path == p {
			return &cal, nil
		}
	}
	return nil, webdav.NewHTTPError(http.StatusNotFound, errors.New("demo: no such calendar"))
}

// GetCalendarObject implements caldav.Backend.
func (b *calendarBackend) GetCalendarObject(ctx context.Context, p string, _ *caldav.CalendarCompRequest) (*caldav.CalendarObject, error) {
	_, set, err := b.set(ctx)
	if err != nil {
		return nil, err
	}
	p = path.Clean(p)
	for _, co := range set.objects[path.Dir(p)+"/"] {
		if co.Path == p {
			return &co, nil
		}
	}
	return nil, webdav.NewHTTPError(http.StatusNotFound, errors.New("demo: no such event"))
}

// ListCalendarObjects implements caldav.Backend.
func (b *calendarBackend) ListCalendarObjects(ctx context.Context, p string, _ *caldav.CalendarCompRequest) ([]caldav.CalendarObject, error) {
	cal, err := b.GetCalendar(ctx, p)
	if err != nil {
		return nil, err
	}
	_, set, _ := b.set(ctx)
	return slices.Clone(set.objects[cal.Path]), nil
}

// QueryCalendarObjects implements caldav.Backend. Time ranges are matched
// by overlap with every occurrence (see matchQuery), as RFC 4791 asks.
func (b *calendarBackend) QueryCalendarObjects(ctx context.Context, p string, q *caldav.CalendarQuery) ([]caldav.CalendarObject, error) {
	all, err := b.ListCalendarObjects(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	var out []caldav.CalendarObject
	for _, co := range all {
		ok, err := matchQuery(q, &co, b.loc)
		if err != nil {
			return nil, webdav.NewHTTPError(http.StatusInternalServerError, err)
		}
		if ok {
			out = append(out, co)
		}
	}
	return out, nil
}

// CreateCalendar implements caldav.Backend; the demo is read-only.
func (b *calendarBackend) CreateCalendar(context.Context, *caldav.Calendar) error {
	return errReadOnly()
}

// PutCalendarObject implements caldav.Backend; the demo is read-only.
func (b *calendarBackend) PutCalendarObject(context.Context, string, *ical.Calendar, *caldav.PutCalendarObjectOptions) (*caldav.CalendarObject, error) {
	return nil, errReadOnly()
}

// DeleteCalendarObject implements caldav.Backend; the demo is read-only.
func (b *calendarBackend) DeleteCalendarObject(context.Context, string) error {
	return errReadOnly()
}

// collectionPath cleans p and gives it the trailing slash of a collection,
// so "/a/b" and "/a/b/" name the same calendar.
func collectionPath(p string) string {
	return strings.TrimSuffix(path.Clean(p), "/") + "/"
}
