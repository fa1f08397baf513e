package web

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDoc describes the announcement API (OpenAPI 3.1).
//
//go:embed openapi.json
var openAPIDoc []byte

// handleOpenAPI is GET /api/openapi.json (public contract).
func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(openAPIDoc)
}
