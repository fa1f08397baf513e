package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

const (
	localRequestID = "request_id"
	localTenant    = "tenant"
	localLang      = "lang"
)

// recoverPanics turns a panic into a 500 with a logged stack, never a crash.
func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Logger.Error("panic", "request_id", c.Locals(localRequestID), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fiber.ErrInternalServerError
		}
	}()
	return c.Next()
}

// requestID gives every request an id for logs and error pages. An
// incoming X-Request-ID is kept when it is short and plain.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !plainID(id) {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = base64.RawURLEncoding.EncodeToString(b)
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// observe logs each request once (path without query: queries may carry
// OAuth codes) and records metrics by route template.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	dur := time.Since(start)
	route := c.Route().Path
	s.metrics.observe(route, c.Method(), status, dur)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	// Attrs, not key-value pairs: no allocation per field, on every request.
	attrs := append(make([]slog.Attr, 0, 7),
		slog.Any("request_id", c.Locals(localRequestID)), slog.String("method", c.Method()), slog.String("path", c.Path()),
		slog.String("route", route), slog.Int("status", status), slog.String("duration_ms", strconv.FormatFloat(float64(dur.Microseconds())/1000, 'f', 2, 64)))
	if t, ok := c.Locals(localTenant).(*tenant.Tenant); ok {
		attrs = append(attrs, slog.String("tenant", t.ID))
	}
	s.Logger.LogAttrs(c.UserContext(), level, "request", attrs...)
	return nil
}

// resolveTenant picks the tenant from the Host header. An unknown host gets
// a plain 404 page and never another tenant's content.
func (s *Server) resolveTenant(c *fiber.Ctx) error {
	t, ok := s.Tenants.ForHost(c.Hostname())
	if !ok {
		return errUnknownHost
	}
	c.Locals(localTenant, t)
	if csp, ok := s.csp[t.ID]; ok {
		c.Set("Content-Security-Policy", csp)
	}
	return c.Next()
}

func tenantOf(c *fiber.Ctx) *tenant.Tenant {
	t, _ := c.Locals(localTenant).(*tenant.Tenant)
	return t
}
