package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

var errUnknownHost = errors.New("web: unknown host")

// handleError maps every error to one response: JSON under /api/, a page
// otherwise. Details stay in the log; the user gets a reason and a reference.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	switch {
	case errors.Is(err, errUnknownHost):
		// Plain page: no tenant's brand, name or links for a host we do not serve.
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(fiber.StatusNotFound).SendString("404 – Unbekannte Adresse / Unknown address\n")
	case errors.Is(err, store.ErrUnavailable):
		status = fiber.StatusServiceUnavailable
		c.Set(fiber.HeaderRetryAfter, "5")
	case errors.As(err, &fe):
		status = fe.Code
	}
	if status >= 500 {
		s.Logger.Error("request failed", "request_id", c.Locals(localRequestID), "path", c.Path(), "err", err)
	}
	if isAPI(c) || c.Path() == "/auth/backchannel-logout" {
		msg := "internal error"
		if fe != nil && status < 500 {
			msg = fe.Message
		} else if status == fiber.StatusServiceUnavailable {
			msg = "temporarily unavailable"
		}
		return c.Status(status).JSON(fiber.Map{"error": msg, "request_id": c.Locals(localRequestID)})
	}
	key := "error.internal"
	switch {
	case status == fiber.StatusNotFound:
		key = "error.notfound"
	case status == fiber.StatusServiceUnavailable || status == fiber.StatusBadGateway:
		key = "error.unavailable"
	case status < 500:
		key = "error.request"
	}
	data := errorPage{Status: status, Key: key, RequestID: c.Locals(localRequestID)}
	if fe != nil && status < 500 && status != fiber.StatusNotFound {
		data.Detail = fe.Message
	}
	if rerr := s.render(c, status, "error", key+".title", data); rerr != nil {
		s.Logger.Error("render error page", "err", rerr)
		return c.Status(status).SendString(fiber.ErrInternalServerError.Message)
	}
	return nil
}

type errorPage struct {
	Status    int
	Key       string
	Detail    string
	RequestID any
}

func (s *Server) handleNotFound(c *fiber.Ctx) error { return fiber.ErrNotFound }

// isAPI is true for JSON endpoints and clients that ask only for JSON.
func isAPI(c *fiber.Ctx) bool {
	accept := c.Get(fiber.HeaderAccept)
	return strings.HasPrefix(c.Path(), "/api/") ||
		strings.Contains(accept, fiber.MIMEApplicationJSON) && !strings.Contains(accept, "text/html")
}
