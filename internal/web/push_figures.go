package web

import (
	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/notify"
)

// handleAdminPushFigures is GET /admin/announcements/:id/push.json: the
// push figures of one announcement (notify.Figures), polled by the detail
// page while the fan-out runs.
func (s *Server) handleAdminPushFigures(c *fiber.Ctx) error {
	a, err := s.announcements(c).Get(c.UserContext(), copyParam(c, "id"))
	if err != nil {
		return announceErr(err)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(notify.Figures(c.UserContext(), s.tenantStore(c), a.ID))
}

// handleAdminPushHealth is GET /admin/push-health: devices and answers per
// push service, and devices that stopped confirming notifications.
func (s *Server) handleAdminPushHealth(c *fiber.Ctx) error {
	h, err := notify.DeliveryHealth(c.UserContext(), s.tenantStore(c), s.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.render(c, fiber.StatusOK, "admin_push_health", "push.health", h)
}
