package calendar

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// wrap types err for the dashboard: refused credentials are KindAuth (403
// too: the user may not read that calendar), deadlines KindTimeout,
// network failures and server errors KindUnreachable, anything the server
// said that we cannot read KindBadData.
func wrap(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var se *statusError
	var ne net.Error
	var ue *url.Error
	switch {
	case errors.As(err, &se) && (se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden):
		return upstream.Wrap("calendar", upstream.KindAuth, err)
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded,
		errors.As(err, &ne) && ne.Timeout():
		return upstream.Wrap("calendar", upstream.KindTimeout, err)
	case errors.As(err, &se) && se.Code >= 500:
		return upstream.Wrap("calendar", upstream.KindUnreachable, err)
	case errors.As(err, &se):
		return upstream.Wrap("calendar", upstream.KindBadData, err)
	case errors.As(err, &ne), errors.As(err, &ue), errors.Is(err, context.Canceled):
		return upstream.Wrap("calendar", upstream.KindUnreachable, err)
	default:
		return upstream.Wrap("calendar", upstream.KindBadData, err)
	}
}
