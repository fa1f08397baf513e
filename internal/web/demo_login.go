package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/demo"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// demoSignIn is active only in demo mode (no config file) and never for a
// tenant with an oidc section.
func (s *Server) demoSignIn(t *tenant.Tenant) bool { return s.Config.Demo && t.OIDC == nil }

type demoLoginPage struct {
	Users     []demo.User
	Next      string
	CSRF      string
	SignedOut bool // just signed out (signedout.go)
}

func (s *Server) renderDemoLogin(c *fiber.Ctx, next string) error {
	tok, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "login_demo", "signin.demo.title", demoLoginPage{Users: demo.Users(), Next: next, CSRF: auth.MaskCSRF(tok), SignedOut: s.takeSignedOut(c)})
}

// handleDemoLogin signs in as a demo user (CSRF-checked like every POST).
func (s *Server) handleDemoLogin(c *fiber.Ctx) error {
	t := tenantOf(c)
	if !s.demoSignIn(t) {
		return fiber.ErrNotFound
	}
	u, ok := demo.SignIn(t.ID, c.FormValue("user"), s.Now())
	if !ok {
		return fiber.NewError(fiber.StatusBadRequest, "user: choose employee or admin")
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(auth.SafeNext(strings.Clone(c.FormValue("next"))), fiber.StatusSeeOther)
}
