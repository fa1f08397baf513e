package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// compressResponses gzips or brotli-compresses HTML and JSON for clients
// that accept it (fasthttp skips small bodies, other types and responses
// that already carry a Content-Encoding). This is safe against BREACH only
// because no secret reaches a body unmasked: the CSRF token is masked
// afresh for every response (auth.MaskCSRF). Not compressed: hashed static
// files (stored pre-compressed, assets.go) and the live event stream,
// which must not wait in a compressor's buffer.
func compressResponses() fiber.Handler {
	return compress.New(compress.Config{
		Level: compress.LevelDefault,
		Next: func(c *fiber.Ctx) bool {
			p := c.Path()
			return strings.HasPrefix(p, "/static/") || p == "/api/announcements/stream"
		},
	})
}
