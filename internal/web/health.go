package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// handleHealthz says the process is alive (liveness probe).
func (s *Server) handleHealthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// handleReadyz says whether this instance can serve: the store answers
// within a second and keeps records (persistence, no eviction) unless
// store.allow_volatile says a volatile Redis is fine (readiness probe). It
// never hangs on a dead Redis. "durability" tells an operator what to fix.
func (s *Server) handleReadyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		s.Logger.Warn("not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "store": "unreachable"})
	}
	d := store.CheckDurability(ctx, s.Store)
	if d.Volatile() && !s.Config.Store.AllowVolatile {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "store": "volatile", "durability": d})
	}
	return c.JSON(fiber.Map{"status": "ok", "store": "ok", "durability": d})
}

// handleMetrics exposes Prometheus metrics.
func (s *Server) handleMetrics(c *fiber.Ctx) error {
	return s.metricsH(c)
}
