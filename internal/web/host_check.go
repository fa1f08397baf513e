package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
)

// rejectDuplicateHost answers 400 to a request with more than one Host
// header. fasthttp keeps the last one, while a proxy or cache in front may
// have routed or keyed the request by the first: the two would disagree on
// the tenant (RFC 9112, 3.2: such a request must get 400).
func (s *Server) rejectDuplicateHost(c *fiber.Ctx) error {
	if hostHeaders(c.Request().Header.RawHeaders()) > 1 {
		return fiber.NewError(fiber.StatusBadRequest, "more than one Host header")
	}
	return c.Next()
}

// hostHeaders counts the Host lines of raw request headers.
func hostHeaders(raw []byte) int {
	n := 0
	for len(raw) > 0 {
		var line []byte
		line, raw, _ = bytes.Cut(raw, []byte("\n"))
		if len(line) >= 5 && bytes.EqualFold(line[:5], []byte("host:")) {
			n++
		}
	}
	return n
}
