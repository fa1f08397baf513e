package upstream

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxRedirects bounds the redirects one DAV request follows.
const maxRedirects = 5

// DoDAV sends a WebDAV or CalDAV request with client and follows redirects
// the way DAV needs: the method, body and headers are kept (Go's client
// turns a PROPFIND answered with 301 into a GET), and only on the same
// scheme and host as req, so the user's credentials never travel to another
// server. Servers answer PROPFIND on /.well-known/caldav with a redirect
// (RFC 6764 section 5; DAViCal with 301). A redirect elsewhere, or one
// whose body cannot be sent again, is returned as the 3xx answer itself.
// The caller's client is not changed.
func DoDAV(client *http.Client, req *http.Request) (*http.Response, error) {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for hop := 0; ; hop++ {
		resp, err := c.Do(req) // #nosec G704 -- req's host is the tenant's configured server
		if err != nil {
			return nil, err
		}
		switch resp.StatusCode {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		default:
			return resp, nil
		}
		next, err := resp.Location()
		if err != nil || next.Scheme != req.URL.Scheme || next.Host != req.URL.Host ||
			(req.Body != nil && req.Body != http.NoBody && req.GetBody == nil) {
			return resp, nil
		}
		if hop == maxRedirects {
			_ = resp.Body.Close()
			return nil, fmt.Errorf("upstream: %s: more than %d redirects", req.Method, maxRedirects)
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		_ = resp.Body.Close()
		again := req.Clone(req.Context())
		again.URL, again.Host = next, ""
		if req.GetBody != nil {
			if again.Body, err = req.GetBody(); err != nil {
				return nil, errors.Join(errors.New("upstream: resend body after redirect"), err)
			}
		}
		req = again
	}
}
