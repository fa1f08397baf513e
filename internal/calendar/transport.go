package calendar

import (
	"fmt"
	"io"
	"net/http"
	"net/url"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// authClient adds the user's credential to every request and turns
// refusals into typed errors (go-webdav hides status codes in an internal
// type). It never logs or returns the Authorization header.
type authClient struct {
	http *http.Client
	cred upstream.Credential
}

// statusError is a non-success HTTP answer.
type statusError struct {
	Code   int
	Method string
}

// HTTPStatus lets the dashboard log the status without the URL.
func (e *statusError) HTTPStatus() int { return e.Code }

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.Method, e.Code, http.StatusText(e.Code))
}

// Do sends req with the credential; answers of 400 and above become *statusError.
func (c authClient) Do(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if c.cred.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cred.Token)
	} else {
		req.SetBasicAuth(c.cred.Username, c.cred.Password)
	}
	resp, err := upstream.DoDAV(c.http, req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		return nil, &statusError{Code: resp.StatusCode, Method: req.Method}
	}
	// go-webdav decodes PROPFIND answers without a bound; a runaway server
	// gets a truncated (so unreadable) body instead of our memory.
	resp.Body = limitedBody{Reader: io.LimitReader(resp.Body, maxReportBytes+1), Closer: resp.Body}
	return resp, nil
}

type limitedBody struct {
	io.Reader
	io.Closer
}

// hostOf is the host:port of endpoint, which logs may name.
func hostOf(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return ""
	}
	return u.Host
}
