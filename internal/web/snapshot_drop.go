package web

import (
	"github.com/gofiber/fiber/v2"
)

// dropSnapshot deletes subject's cached dashboard (sealed at rest by
// dashboard.Snapshots) here, in the store and on every instance: called on
// every kind of logout.
func (s *Server) dropSnapshot(c *fiber.Ctx, subject string) {
	if err := s.Dashboard.Invalidate(c.UserContext(), tenantOf(c).ID, subject); err != nil {
		s.Logger.Warn("drop dashboard snapshot", "err", err)
	}
	s.forget(c.UserContext(), "d", tenantOf(c).ID, subject)
	c.Locals(localSnapshot, nil) // nor the copy read with the session
}
