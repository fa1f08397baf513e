package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// flowTTL bounds how long a sign-in may take and how long an anonymous
// session (demo form token) lives.
const flowTTL = 15 * time.Minute

// demoUser is one of the demo sign-in's two people.
type demoUser struct {
	Key      string
	Username string
	Name     string
	Email    string
	Groups   []string
	Admin    bool
}

var demoUsers = []demoUser{
	{Key: "employee", Username: "erika", Name: "Erika Mustermann", Email: "erika.mustermann@musterstadt.example", Groups: []string{"staff", "buergerbuero"}},
	{Key: "admin", Username: "max", Name: "Max Mustermann", Email: "max.mustermann@musterstadt.example", Groups: []string{"staff", "it-admins"}, Admin: true},
}

// demoSignIn is active only in demo mode (no config file) and never for a
// tenant with an oidc section.
func (s *Server) demoSignIn(t *tenant.Tenant) bool { return s.Config.Demo && t.OIDC == nil }

type demoLoginPage struct {
	Users     []demoUser
	Next      string
	CSRF      string
	SignedOut bool // just signed out (signedout.go)
}

func (s *Server) renderDemoLogin(c *fiber.Ctx, next string) error {
	tok, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "login_demo", "signin.demo.title", demoLoginPage{Users: demoUsers, Next: next, CSRF: maskCSRF(tok), SignedOut: s.takeSignedOut(c)})
}

// handleDemoLogin signs in as a demo user (CSRF-checked like every POST).
func (s *Server) handleDemoLogin(c *fiber.Ctx) error {
	t := tenantOf(c)
	if !s.demoSignIn(t) {
		return fiber.ErrNotFound
	}
	key := c.FormValue("user")
	for _, d := range demoUsers {
		if d.Key != key {
			continue
		}
		id := &auth.Identity{Subject: "demo-" + d.Username, Username: d.Username, Name: d.Name, Email: d.Email, Groups: d.Groups}
		admins := []string{}
		if d.Admin {
			admins = []string{"it-admins"}
		}
		u := auth.NewUser(t.ID, id, auth.Tokens{}, admins, s.Now())
		u.Demo = true
		if err := s.startSession(c, u); err != nil {
			return err
		}
		return c.Redirect(SafeNext(strings.Clone(c.FormValue("next"))), fiber.StatusSeeOther)
	}
	return fiber.NewError(fiber.StatusBadRequest, "user: choose employee or admin")
}
