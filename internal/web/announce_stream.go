package web

import (
	"fmt"
	"net"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/sse"
)

// handleAnnouncementStream is GET /api/announcements/stream: Server-Sent
// Events for the signed-in user's open pages. After the headers the
// connection is taken over (hijacked) and handed to the announcement
// service, which writes the tenant's events to all its streams: a waiting
// stream keeps no goroutine, buffer or request context of the server.
func (s *Server) handleAnnouncementStream(c *fiber.Ctx) error {
	u := userOf(c)
	v := s.viewer(c, u)
	v.Subject, v.Lang = strings.Clone(v.Subject), strings.Clone(v.Lang) // kept past the handler
	release, ok := s.Announce.AcquireStream(v.Tenant, u.Subject)
	if !ok {
		c.Set(fiber.HeaderRetryAfter, "30")
		return fiber.NewError(fiber.StatusTooManyRequests, fmt.Sprintf(
			"too many open announcement streams for this account (at most %d): close other Pforte tabs or windows", announce.MaxStreamsPerUser))
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	sse.Hijack(c.Context(), func(conn net.Conn, head []byte) {
		if err := s.Announce.OpenStream(conn, head, v, release); err != nil {
			release()
		}
	})
	return nil
}

// keepStreams lets hijacked connections outlive their hijack handler:
// fasthttp would otherwise close each one when the handler returns.
func keepStreams(app *fiber.App) { app.Server().KeepHijackedConns = true }
