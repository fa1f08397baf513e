package calendar

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/emersion/go-ical"
)

const probeBody = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:prop><D:resourcetype/><C:supported-calendar-component-set/></D:prop>
</D:propfind>`

// probeAnswer is the part of a Depth: 0 PROPFIND answer the probe reads.
type probeAnswer struct {
	Responses []struct {
		Propstats []struct {
			Prop struct {
				ResourceType struct {
					Calendar *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar"`
				} `xml:"DAV: resourcetype"`
				Components []struct {
					Name string `xml:"name,attr"`
				} `xml:"urn:ietf:params:xml:ns:caldav supported-calendar-component-set>comp"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
}

// isEventCalendar asks with one PROPFIND Depth: 0 whether u itself is a
// calendar that holds events. The configured URL usually is one, and then
// this small request replaces a Depth: 1 listing, which makes servers like
// Radicale load and describe every event of the calendar just to find the
// collection's own type (most of a cold dashboard's calendar time). Any
// failure answers false, and the caller discovers the calendars as before.
func isEventCalendar(ctx context.Context, hc authClient, u *url.URL) bool {
	req, err := http.NewRequestWithContext(ctx, "PROPFIND", u.String(), strings.NewReader(probeBody))
	if err != nil {
		return false
	}
	req.Header.Set("Depth", "0")
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusMultiStatus {
		return false
	}
	var ms probeAnswer
	if xml.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&ms) != nil || len(ms.Responses) != 1 {
		return false
	}
	for _, ps := range ms.Responses[0].Propstats {
		if ps.Prop.ResourceType.Calendar == nil {
			continue
		}
		if len(ps.Prop.Components) == 0 {
			return true // no component set: events are allowed
		}
		for _, c := range ps.Prop.Components {
			if strings.EqualFold(c.Name, ical.CompEvent) {
				return true
			}
		}
	}
	return false
}
