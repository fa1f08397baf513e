// Package notifications reads a user's Nextcloud notifications through the
// notifications app's OCS API (v2): how many there are and the newest few.
// It knows nothing of users, caches or HTTP handlers.
package notifications

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Endpoint is the OCS v2 path of the notifications list, after the
// Nextcloud's address.
const Endpoint = "/ocs/v2.php/apps/notifications/api/v2/notifications"

// Newest is how many notifications a summary keeps.
const Newest = 5

// maxBody bounds the answer read: a user with thousands of notifications
// must not make Pforte hold megabytes.
const maxBody = 2 << 20

// Options configure a Client.
type Options struct {
	URL        string // the Nextcloud, e.g. https://cloud.city.example
	HTTPClient *http.Client
}

// Client reads one Nextcloud's notifications.
type Client struct {
	endpoint string
	http     *http.Client
}

// Notification is one notification, its text as Nextcloud parsed it
// (untrusted: rendered as text, Link only http(s)).
type Notification struct {
	App     string
	Subject string
	Time    time.Time
	Link    string
}

// Summary is how many notifications the user has and the newest of them.
type Summary struct {
	Count  int
	Newest []Notification
}

// New checks the address once.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("notifications: url %q is not an absolute http(s) URL", opts.URL)
	}
	c := &Client{endpoint: strings.TrimSuffix(opts.URL, "/") + Endpoint, http: opts.HTTPClient}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	return c, nil
}

// ocsAnswer is the OCS v2 envelope: {"ocs": {"meta": {...}, "data": [...]}}
// (nextcloud/notifications lib/Controller/EndpointController.php,
// notificationToArray).
type ocsAnswer struct {
	OCS struct {
		Meta struct {
			Status     string `json:"status"`
			StatusCode int    `json:"statuscode"`
		} `json:"meta"`
		Data []struct {
			App      string `json:"app"`
			Datetime string `json:"datetime"`
			Subject  string `json:"subject"`
			Link     string `json:"link"`
		} `json:"data"`
	} `json:"ocs"`
}

// Fetch reads the user's notifications with cred: a bearer token when it
// has one, HTTP Basic (app password) otherwise.
func (c *Client) Fetch(ctx context.Context, cred upstream.Credential) (Summary, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint, nil)
	if err != nil {
		return Summary{}, upstream.Wrap("notifications", upstream.KindBadData, err)
	}
	// Without OCS-APIRequest Nextcloud's CSRF check refuses the call.
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	if cred.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cred.Token)
	} else {
		req.SetBasicAuth(cred.Username, cred.Password)
	}
	resp, err := c.http.Do(req) // #nosec G704 -- the tenant's configured Nextcloud
	if err != nil {
		return Summary{}, upstream.Wrap("notifications", upstream.KindUnreachable, err)
	}
	defer func() { _ = resp.Body.Close() }()
	switch {
	case resp.StatusCode == http.StatusNoContent: // no app sends notifications
		return Summary{Newest: []Notification{}}, nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return Summary{}, &upstream.Error{Source: "notifications", Kind: upstream.KindAuth, Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
	case resp.StatusCode >= 500:
		return Summary{}, &upstream.Error{Source: "notifications", Kind: upstream.KindUnreachable, Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		return Summary{}, &upstream.Error{Source: "notifications", Kind: upstream.KindBadData, Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
	}
	var a ocsAnswer
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&a); err != nil {
		return Summary{}, &upstream.Error{Source: "notifications", Kind: upstream.KindBadData, Err: err}
	}
	if a.OCS.Data == nil && a.OCS.Meta.Status == "" {
		return Summary{}, &upstream.Error{Source: "notifications", Kind: upstream.KindBadData, Err: errors.New("not an OCS answer")}
	}
	return summarise(a), nil
}

// summarise keeps the count and the newest few, links only http(s).
func summarise(a ocsAnswer) Summary {
	all := make([]Notification, 0, len(a.OCS.Data))
	for _, d := range a.OCS.Data {
		t, _ := time.Parse(time.RFC3339, d.Datetime)
		all = append(all, Notification{App: d.App, Subject: d.Subject, Time: t.UTC(), Link: webLink(d.Link)})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.After(all[j].Time) })
	return Summary{Count: len(all), Newest: all[:min(len(all), Newest)]}
}

// webLink is link when it is an absolute http(s) URL, else "": a
// javascript: or data: link from upstream must never reach a page.
func webLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return u.String()
}
