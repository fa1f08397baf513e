package calendar

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// maxReportBytes caps one calendar's REPORT answer.
const maxReportBytes = 32 << 20

const queryTemplate = `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:prop><D:getetag/><C:calendar-data/></D:prop>
 <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
  <C:time-range start="%s" end="%s"/>
 </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`

// multistatus is the part of a calendar-query answer we read.
type multistatus struct {
	Responses []struct {
		Href     string `xml:"DAV: href"`
		Propstat []struct {
			Prop struct {
				CalendarData string `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
}

// object is one calendar resource's iCalendar text.
type object struct {
	href string
	data string
}

// query runs a calendar-query REPORT with a time-range filter on VEVENT.
// It does not use go-webdav's QueryCalendar, which fails the whole answer
// when a single object does not parse; here parsing is left to the caller
// so a broken event is skipped and counted.
func query(ctx context.Context, hc authClient, calendarURL *url.URL, from, to time.Time) ([]object, error) {
	const stamp = "20060102T150405Z"
	body := fmt.Sprintf(queryTemplate, from.UTC().Format(stamp), to.UTC().Format(stamp))
	req, err := http.NewRequestWithContext(ctx, "REPORT", calendarURL.String(), bytes.NewReader([]byte(body)))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	req.Header.Set("Depth", "1")
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusMultiStatus {
		return nil, &statusError{Code: resp.StatusCode, Method: "REPORT"}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("report: read: %w", err)
	}
	if len(raw) > maxReportBytes {
		return nil, fmt.Errorf("report: answer larger than %d bytes", maxReportBytes)
	}
	var ms multistatus
	if err := xml.Unmarshal(raw, &ms); err != nil {
		return nil, fmt.Errorf("report: %w", errBadXML{err})
	}
	var out []object
	for _, r := range ms.Responses {
		for _, ps := range r.Propstat {
			if ps.Prop.CalendarData != "" {
				out = append(out, object{href: r.Href, data: ps.Prop.CalendarData})
			}
		}
	}
	return out, nil
}

// errBadXML marks an answer that is not a readable multistatus.
type errBadXML struct{ err error }

func (e errBadXML) Error() string { return "unreadable multistatus: " + e.err.Error() }
func (e errBadXML) Unwrap() error { return e.err }
