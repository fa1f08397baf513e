package web

import "github.com/gofiber/fiber/v2"

// handleNavIcon serves a central-navigation icon by its content hash, with
// navigation.Icon.Headers (immutable, inert).
func (s *Server) handleNavIcon(c *fiber.Ctx) error {
	ic, ok := s.Navigation.Of(tenantOf(c).ID).Icon(c.UserContext(), c.Params("hash"))
	if !ok {
		return fiber.ErrNotFound
	}
	for k, v := range ic.Headers() {
		c.Set(k, v)
	}
	return c.Send(ic.Data)
}
