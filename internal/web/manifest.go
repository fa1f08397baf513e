package web

import (
	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/pwa"
)

// handleManifest serves the tenant's manifest in the request's language:
// its name, colour and icons make the installed app look like the city's.
func (s *Server) handleManifest(c *fiber.Ctx) error {
	lang := s.lang(c)
	body, err := pwa.Manifest(tenantOf(c), lang, func(key string) string { return s.Catalog.T(lang, key) })
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderVary, "Accept-Language, Cookie")
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	return c.Send(body)
}

// handleIcon serves one of the tenant's derived app icons under its hash.
func (s *Server) handleIcon(c *fiber.Ctx) error {
	i, ok := tenantOf(c).Brand.Icons.ByHash(c.Params("hash"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(i.PNG)
}

// handleOffline is the page the service worker shows when a page is neither
// reachable nor kept. It holds nothing personal: every user may see it.
func (s *Server) handleOffline(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return s.render(c, fiber.StatusOK, "offline", "pwa.offline.title", nil)
}
