package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// handleStatic serves a hashed static file (internal/assets). A stale hash is a 404, never the
// new content under an old immutable URL.
func (s *Server) handleStatic(c *fiber.Ctx) error {
	as, ok := s.assets.Get(c.Params("*"))
	if !ok || as.Hash != c.Params("hash") {
		return fiber.ErrNotFound
	}
	etag := `"` + as.Hash + `"`
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, as.Type)
	if as.Gzip != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(as.Gzip)
	}
	return c.Send(as.Body)
}
