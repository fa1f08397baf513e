package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
)

const localActor = "announce_actor"

// actorOf is who performs an admin action (set by requireWriter or asActor).
func actorOf(c *fiber.Ctx) announce.Actor {
	a, _ := c.Locals(localActor).(announce.Actor)
	return a
}

// viewer is u reading announcements in this request's tenant and language.
func (s *Server) viewer(c *fiber.Ctx, u *auth.User) announce.Viewer {
	return announce.Viewer{Tenant: tenantOf(c).ID, Subject: u.Subject, Groups: append([]string(nil), u.Groups...), Lang: s.lang(c)}
}

// announcements is the repository of this request's tenant.
func (s *Server) announcements(c *fiber.Ctx) *announce.Repo {
	return s.Announce.Repo(tenantOf(c).ID)
}

// announceErr maps domain errors to HTTP: a field mistake is a 400 naming
// the field, an unknown id a 404, a change to a withdrawn one a 409.
func announceErr(err error) error {
	var fe *announce.FieldError
	switch {
	case errors.As(err, &fe):
		return fiber.NewError(fiber.StatusBadRequest, fe.Error())
	case errors.Is(err, announce.ErrNotFound):
		return fiber.NewError(fiber.StatusNotFound, "no such announcement")
	case errors.Is(err, announce.ErrWithdrawn):
		return fiber.NewError(fiber.StatusConflict, err.Error())
	case errors.Is(err, announce.ErrNoAck):
		return fiber.NewError(fiber.StatusBadRequest, err.Error())
	}
	return err
}

// copyParam copies a route parameter: Fiber reuses its buffer.
func copyParam(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }
