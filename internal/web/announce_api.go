package web

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// apiToken returns the name of the tenant's API token that the request's
// bearer token matches (sent: the request has a bearer token at all).
func apiToken(c *fiber.Ctx, tokens []config.APIToken) (name string, sent, ok bool) {
	h := c.Get(fiber.HeaderAuthorization)
	if !strings.HasPrefix(h, "Bearer ") {
		return "", false, false
	}
	name, ok = auth.MatchAPIToken(strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), tokens)
	return name, true, ok
}

// requireWriter admits a valid API token of this tenant or a signed-in admin
// (whose CSRF token checkCSRF has already verified).
func (s *Server) requireWriter(c *fiber.Ctx) error {
	if name, sent, ok := apiToken(c, tenantOf(c).APITokens); sent {
		if !ok {
			return fiber.NewError(fiber.StatusUnauthorized, "invalid API token")
		}
		c.Locals(localActor, announce.TokenActor(name, tenantOf(c).ID))
		return c.Next()
	}
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	if u == nil {
		return fiber.NewError(fiber.StatusUnauthorized, "sign in or send an API token")
	}
	if !u.Admin {
		return fiber.NewError(fiber.StatusForbidden, "IT administrators only")
	}
	c.Locals(localActor, adminActor(c, u))
	return c.Next()
}

// adminActor is a signed-in admin as the audit log names them.
func adminActor(c *fiber.Ctx, u *auth.User) announce.Actor {
	return announce.AdminActor(u.Name, u.Username, tenantOf(c).ID)
}

func (s *Server) fullOf(a *announce.Announcement) announce.Full { return s.Announce.FullOf(a, s.Now()) }

// handleAPIAnnouncements is GET /api/announcements (public contract): a
// signed-in user gets what they may see now; an API token gets every
// announcement of the tenant with its status.
func (s *Server) handleAPIAnnouncements(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	if _, sent, ok := apiToken(c, tenantOf(c).APITokens); sent {
		if !ok {
			return fiber.NewError(fiber.StatusUnauthorized, "invalid API token")
		}
		out, err := s.Announce.AllFull(c.UserContext(), tenantOf(c).ID, s.Now())
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"announcements": out})
	}
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	if u == nil {
		return fiber.NewError(fiber.StatusUnauthorized, "sign in first")
	}
	items, err := s.Announce.Current(c.UserContext(), s.viewer(c, u))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"announcements": items})
}

func decodeBody(c *fiber.Ctx) (announce.Input, error) {
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return announce.Input{}, fiber.NewError(fiber.StatusUnsupportedMediaType, "body: send application/json")
	}
	in, err := announce.DecodeInput(bytes.NewReader(c.Body()))
	return in, announceErr(err)
}

// handleAPICreateAnnouncement is POST /api/announcements; with
// ?dry_run=true it only counts whom it would reach (announce_dryrun.go).
func (s *Server) handleAPICreateAnnouncement(c *fiber.Ctx) error {
	in, err := decodeBody(c)
	if err != nil {
		return err
	}
	if c.QueryBool("dry_run") {
		return s.dryRun(c, in)
	}
	a, err := s.Announce.Create(c.UserContext(), actorOf(c), in)
	if err != nil {
		return announceErr(err)
	}
	c.Location("/api/announcements/" + a.ID)
	return c.Status(fiber.StatusCreated).JSON(s.fullOf(a))
}

// handleAPIUpdateAnnouncement is PATCH /api/announcements/:id.
func (s *Server) handleAPIUpdateAnnouncement(c *fiber.Ctx) error {
	in, err := decodeBody(c)
	if err != nil {
		return err
	}
	a, err := s.Announce.Update(c.UserContext(), actorOf(c), copyParam(c, "id"), in)
	if err != nil {
		return announceErr(err)
	}
	return c.JSON(s.fullOf(a))
}

// handleAPIWithdrawAnnouncement is DELETE /api/announcements/:id.
func (s *Server) handleAPIWithdrawAnnouncement(c *fiber.Ctx) error {
	a, err := s.Announce.Withdraw(c.UserContext(), actorOf(c), copyParam(c, "id"))
	if err != nil {
		return announceErr(err)
	}
	return c.JSON(s.fullOf(a))
}

// handleAPIGetAnnouncement is GET /api/announcements/:id, for writers.
func (s *Server) handleAPIGetAnnouncement(c *fiber.Ctx) error {
	a, err := s.announcements(c).Get(c.UserContext(), copyParam(c, "id"))
	if err != nil {
		return announceErr(err)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(s.fullOf(a))
}
