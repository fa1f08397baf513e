package web

import (
	"fmt"
	"net"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
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
	fc := c.Context()
	fc.HijackSetNoResponse(true) // the stream writes the headers itself
	fc.Hijack(func(conn net.Conn) {
		// Runs once the middleware chain has set every header. The body is
		// chunked, as fasthttp would send it; the connection ends with it.
		h := &fc.Response.Header
		h.SetContentLength(-1)
		h.SetConnectionClose()
		if raw, ok := conn.(interface{ UnsafeConn() net.Conn }); ok {
			conn = raw.UnsafeConn() // fasthttp's wrapper reads from a buffer it reuses
		}
		if err := s.Announce.OpenStream(conn, h.AppendBytes(nil), v, release); err != nil {
			release()
		}
	})
	return nil
}

// keepStreams lets hijacked connections outlive their hijack handler:
// fasthttp would otherwise close each one when the handler returns.
func keepStreams(app *fiber.App) { app.Server().KeepHijackedConns = true }
