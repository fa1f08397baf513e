package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
)

const localActor = "announce_actor"

// actorOf is who performs an admin action (set by requireWriter).
func actorOf(c *fiber.Ctx) string {
	a, _ := c.Locals(localActor).(string)
	return a
}

// createAnnouncement validates in, stores a new announcement, audits it and
// announces it at once when it is due now.
func (s *Server) createAnnouncement(c *fiber.Ctx, in announce.Input) (*announce.Announcement, error) {
	now := s.Now()
	a := &announce.Announcement{ID: announce.NewID(), Tenant: tenantOf(c).ID, Groups: []string{}}
	if err := announce.Apply(a, in, true, now); err != nil {
		return nil, announceErr(err)
	}
	a.Author, a.CreatedAt, a.UpdatedAt = actorOf(c), now, now
	repo := s.announcements(c)
	if err := repo.Save(c.UserContext(), a); err != nil {
		return nil, err
	}
	s.audit(c, repo, "create", a)
	if _, err := repo.PublishDue(c.UserContext(), now); err != nil {
		s.Logger.Warn("announce: publish", "tenant", a.Tenant, "err", err)
	}
	return a, nil
}

// updateAnnouncement applies a partial change (PATCH semantics).
func (s *Server) updateAnnouncement(c *fiber.Ctx, id string, in announce.Input) (*announce.Announcement, error) {
	now := s.Now()
	repo := s.announcements(c)
	a, err := repo.Get(c.UserContext(), id)
	if err != nil {
		return nil, announceErr(err)
	}
	if a.WithdrawnAt != nil {
		return nil, fiber.NewError(fiber.StatusConflict, "the announcement was withdrawn")
	}
	wasLive := a.Status(now) == announce.StatusLive
	if err := announce.Apply(a, in, false, now); err != nil {
		return nil, announceErr(err)
	}
	a.UpdatedAt = now
	if err := repo.Save(c.UserContext(), a); err != nil {
		return nil, err
	}
	s.audit(c, repo, "update", a)
	if wasLive && a.Status(now) == announce.StatusLive {
		if err := repo.Notify(c.UserContext(), announce.EventUpdated, a); err != nil {
			s.Logger.Warn("announce: notify", "tenant", a.Tenant, "err", err)
		}
	} else if wasLive {
		_ = repo.Notify(c.UserContext(), announce.EventWithdrawn, a) // no longer live: take it off open pages
	}
	if _, err := repo.PublishDue(c.UserContext(), now); err != nil {
		s.Logger.Warn("announce: publish", "tenant", a.Tenant, "err", err)
	}
	return a, nil
}

// withdrawAnnouncement takes an announcement back everywhere; it stays in
// the admin list and the audit log.
func (s *Server) withdrawAnnouncement(c *fiber.Ctx, id string) (*announce.Announcement, error) {
	now := s.Now()
	repo := s.announcements(c)
	a, err := repo.Get(c.UserContext(), id)
	if err != nil {
		return nil, announceErr(err)
	}
	if a.WithdrawnAt != nil {
		return a, nil
	}
	a.WithdrawnAt, a.UpdatedAt = &now, now
	if err := repo.Save(c.UserContext(), a); err != nil {
		return nil, err
	}
	s.audit(c, repo, "withdraw", a)
	if err := repo.Notify(c.UserContext(), announce.EventWithdrawn, a); err != nil {
		s.Logger.Warn("announce: notify", "tenant", a.Tenant, "err", err)
	}
	return a, nil
}

func (s *Server) audit(c *fiber.Ctx, repo *announce.Repo, action string, a *announce.Announcement) {
	e := announce.AuditEntry{At: s.Now(), Tenant: a.Tenant, Actor: actorOf(c), Action: action, ID: a.ID, Title: a.Title}
	if err := repo.Audit(c.UserContext(), e); err != nil {
		s.Logger.Error("announce: audit entry lost", "tenant", a.Tenant, "action", action, "err", err)
	}
}

// copyParam copies a route parameter: Fiber reuses its buffer.
func copyParam(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }
