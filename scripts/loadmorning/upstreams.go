package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// upstreams measures a user's sources on their own, with the exchanges a
// minimal client needs for the same blocks: IMAP LOGIN, then STATUS,
// EXAMINE and UID SEARCH UNSEEN pipelined, FETCH of the newest five;
// CalDAV one calendar-query REPORT for the next 14 days; WebDAV PROPFIND
// Depth 1 of the root, then of each folder level below it.
type upstreams struct {
	imap, caldav, webdav string
	hc                   *http.Client
}

// slowest runs the three side by side and returns the slowest one's time.
func (u upstreams) slowest(ctx context.Context, user string) (time.Duration, error) {
	var wg sync.WaitGroup
	durs := make([]time.Duration, 3)
	errs := make([]error, 3)
	for i, f := range []func(context.Context, string) error{u.mail, u.calendar, u.files} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.Now()
			errs[i] = f(ctx, user)
			durs[i] = time.Since(t)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return max(durs[0], durs[1], durs[2]), nil
}

func (u upstreams) mail(_ context.Context, user string) error {
	c, err := imapclient.DialInsecure(u.imap, nil)
	if err != nil {
		return fmt.Errorf("imap: %w", err)
	}
	defer c.Close()
	if err := c.Login(user, user+"-pw").Wait(); err != nil {
		return fmt.Errorf("imap login: %w", err)
	}
	st := c.Status("INBOX", &imap.StatusOptions{NumUnseen: true})
	sel := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true})
	search := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil)
	if _, err := st.Wait(); err != nil {
		return fmt.Errorf("imap status: %w", err)
	}
	if _, err := sel.Wait(); err != nil {
		return fmt.Errorf("imap examine: %w", err)
	}
	found, err := search.Wait()
	if err != nil {
		return fmt.Errorf("imap search: %w", err)
	}
	uids := found.AllUIDs()
	if len(uids) > 5 {
		uids = uids[len(uids)-5:]
	}
	if len(uids) > 0 {
		if _, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, Envelope: true, InternalDate: true}).Collect(); err != nil {
			return fmt.Errorf("imap fetch: %w", err)
		}
	}
	return c.Logout().Wait()
}

const reportBody = `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:prop><D:getetag/><C:calendar-data/></D:prop>
 <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
  <C:time-range start="%s" end="%s"/>
 </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`

func (u upstreams) calendar(ctx context.Context, user string) error {
	now := time.Now().UTC()
	body := fmt.Sprintf(reportBody, now.Format("20060102T150405Z"), now.AddDate(0, 0, 14).Format("20060102T150405Z"))
	_, err := u.dav(ctx, "REPORT", strings.ReplaceAll(u.caldav, "{user}", user), user, "1", body)
	return err
}

const propfindBody = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getlastmodified/><d:getcontentlength/></d:prop></d:propfind>`

// files lists the seeded tree level by level (root, Projekt N, Unterlagen),
// the folders of one level side by side.
func (u upstreams) files(ctx context.Context, user string) error {
	root := strings.ReplaceAll(u.webdav, "{user}", user)
	if _, err := u.dav(ctx, "PROPFIND", root, user, "1", propfindBody); err != nil {
		return err
	}
	for _, level := range []string{"Projekt %d/", "Projekt %d/Unterlagen/"} {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = u.dav(ctx, "PROPFIND", root+strings.ReplaceAll(fmt.Sprintf(level, i), " ", "%20"), user, "1", propfindBody)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (u upstreams) dav(ctx context.Context, method, target, user, depth, body string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, strings.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", method, err)
	}
	req.SetBasicAuth(user, user+"-pw")
	req.Header.Set("Depth", depth)
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	res, err := u.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, target, err)
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusMultiStatus {
		return 0, fmt.Errorf("%s %s: %d", method, target, res.StatusCode)
	}
	return int(n), nil
}
