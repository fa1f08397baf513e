package web

import "github.com/gofiber/fiber/v2"

// homePage is the start page's data.
type homePage struct {
	Apps any
}

// handleHome renders the signed-in user's start page.
func (s *Server) handleHome(c *fiber.Ctx) error {
	t := tenantOf(c)
	return s.render(c, fiber.StatusOK, "home", "home.welcome", homePage{Apps: t.Apps})
}
