package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// statusError is an HTTP answer other than 207 Multi-Status.
type statusError struct {
	Method string
	Code   int
}

// HTTPStatus lets the dashboard log the status without the URL.
func (e *statusError) HTTPStatus() int { return e.Code }

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: %d %s", e.Method, e.Code, http.StatusText(e.Code))
}

// multistatus sends one WebDAV request and streams the 207 answer into fn.
// rel names the folder in errors. The body is always drained and closed.
// Callers count it against Options.MaxRequests. When the server redirected
// the request (on its own host), u is set to where it led, since the
// answer's hrefs are relative to that.
func (f *fetch) multistatus(ctx context.Context, method string, u *url.URL, depth, reqBody, rel string, fn func(entry) error) error {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(reqBody))
	if err != nil {
		return upstream.Wrap(source, upstream.KindNotSetUp, fmt.Errorf("%s /%s: %w", method, rel, err))
	}
	req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
	if depth != "" {
		req.Header.Set("Depth", depth)
	}
	if f.cred.Token != "" {
		req.Header.Set("Authorization", "Bearer "+f.cred.Token)
	} else {
		req.SetBasicAuth(f.cred.Username, f.cred.Password)
	}
	resp, err := upstream.DoDAV(f.c.http, req)
	if err != nil {
		return upstream.Wrap(source, upstream.KindUnreachable, fmt.Errorf("%s /%s: %w", method, rel, err))
	}
	if final := resp.Request; final != nil && final.URL.Path != u.Path {
		*u = *final.URL
	}
	defer func() {
		// Drain a little so the connection can be reused, then close.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		_ = resp.Body.Close()
	}()
	switch {
	case resp.StatusCode == http.StatusMultiStatus:
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return upstream.Wrap(source, upstream.KindAuth, fmt.Errorf("/%s: %w", rel, &statusError{method, resp.StatusCode}))
	default:
		return upstream.Wrap(source, upstream.KindUnreachable, fmt.Errorf("/%s: %w", rel, &statusError{method, resp.StatusCode}))
	}
	body := &ioErrReader{r: resp.Body}
	if err := parseMultistatus(body, maxBody, fn); err != nil {
		kind := upstream.KindBadData
		if body.err != nil || ctx.Err() != nil {
			// The connection broke or the deadline passed mid-body: not the
			// server's data at fault. Wrap turns deadlines into KindTimeout.
			kind = upstream.KindUnreachable
			err = errors.Join(err, body.err, ctx.Err())
		}
		return upstream.Wrap(source, kind, fmt.Errorf("%s /%s: %w", method, rel, err))
	}
	return nil
}

// ioErrReader remembers a read error other than io.EOF, to tell a broken
// connection from a malformed body.
type ioErrReader struct {
	r   io.Reader
	err error
}

func (r *ioErrReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// statusOf returns the HTTP status of a failed request, or 0.
func statusOf(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}
