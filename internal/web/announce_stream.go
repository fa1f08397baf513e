package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
)

const (
	// streamLifetime ends each event stream before the server's write
	// timeout would cut it; the browser reconnects after streamRetry and
	// the page fetches what it missed.
	streamLifetime = 25 * time.Second
	streamRetry    = 1000 // ms
	streamPing     = 10 * time.Second
)

// handleAnnouncementStream is GET /api/announcements/stream: Server-Sent
// Events for the signed-in user's open pages. Each event is checked against
// the user's groups before it is sent; the feed is the tenant's own channel.
func (s *Server) handleAnnouncementStream(c *fiber.Ctx) error {
	u := userOf(c)
	v := s.viewer(c, u)
	release, ok := s.Announce.AcquireStream(v.Tenant, u.Subject)
	if !ok {
		c.Set(fiber.HeaderRetryAfter, "30")
		return fiber.NewError(fiber.StatusTooManyRequests, fmt.Sprintf(
			"too many open announcement streams for this account (at most %d): close other Pforte tabs or windows", announce.MaxStreamsPerUser))
	}
	events, stop, err := s.Announce.Listen(v.Tenant)
	if err != nil {
		release()
		return err
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	ctx := s.Announce.Context()
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer release()
		defer stop()
		life := time.NewTimer(streamLifetime)
		defer life.Stop()
		ping := time.NewTicker(streamPing)
		defer ping.Stop()
		fmt.Fprintf(w, "retry: %d\n: hello\n\n", streamRetry)
		if w.Flush() != nil {
			return
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-life.C:
				return
			case <-ping.C:
				fmt.Fprint(w, ": ping\n\n")
			case ev, ok := <-events:
				if !ok {
					return
				}
				s.streamEvent(ctx, w, v, ev)
			}
			if w.Flush() != nil {
				return // the tab was closed
			}
		}
	})
	return nil
}

// streamEvent writes one event if the user may see it: a new or changed
// announcement as "announcement", a withdrawn or expired one as "removed".
func (s *Server) streamEvent(ctx context.Context, w *bufio.Writer, v announce.Viewer, ev announce.Event) {
	it, removed, ok := s.Announce.ForEvent(ctx, v, ev)
	switch {
	case !ok:
	case removed:
		raw, _ := json.Marshal(map[string]string{"id": it.ID})
		fmt.Fprintf(w, "event: removed\ndata: %s\n\n", raw)
	default:
		raw, _ := json.Marshal(it)
		fmt.Fprintf(w, "event: announcement\nid: %s\ndata: %s\n\n", it.ID, raw)
	}
}
