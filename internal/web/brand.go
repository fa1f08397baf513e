package web

import (
	"github.com/gofiber/fiber/v2"
)

// handleThemeCSS serves the tenant's colours as CSS custom properties under
// a hashed URL (no inline styles: the CSP forbids them).
func (s *Server) handleThemeCSS(c *fiber.Ctx) error {
	t := tenantOf(c)
	if c.Params("hash") != t.Brand.ThemeHash {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	return c.Send(t.Brand.ThemeCSS)
}

// handleLogo serves the tenant's configured logo under a hashed URL.
func (s *Server) handleLogo(c *fiber.Ctx) error {
	t := tenantOf(c)
	if t.Brand.Logo == nil || c.Params("hash") != t.Brand.LogoHash {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, t.Brand.LogoType)
	// An SVG opened directly must not run script.
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	return c.Send(t.Brand.Logo)
}
