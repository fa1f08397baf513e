package web

import (
	"net/netip"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/clientip"
)

// clientIP is the address rate limits count (clientip.Trusted.Of).
func clientIP(c *fiber.Ctx, trusted clientip.Trusted) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	return trusted.Of(peer, c.Request().Header.PeekAll(fiber.HeaderXForwardedFor))
}
