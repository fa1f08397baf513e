package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

// archivePageSize is how many announcements the archive shows per page.
const archivePageSize = 20

// seeUser records a signed-in user for the "targeted" figures.
func (s *Server) seeUser(c *fiber.Ctx, u *auth.User) {
	if err := s.announcements(c).SeeUser(c.UserContext(), u.Subject, u.Name, u.Groups, s.Now()); err != nil {
		s.Logger.Warn("announce: record user", "tenant", u.Tenant, "err", err)
	}
}

// dashboardAnnouncements is what u sees on the dashboard now; with markRead
// (the rendered page, not a background fetch of the JSON) showing them
// counts as read. It is filled per request (not cached with the sources),
// so a new announcement shows at once.
func (s *Server) dashboardAnnouncements(c *fiber.Ctx, u *auth.User, markRead bool) ([]dashboard.Announcement, error) {
	items, err := s.currentItems(c, u)
	if err != nil {
		return nil, err
	}
	repo := s.announcements(c)
	out := make([]dashboard.Announcement, 0, len(items))
	for _, it := range items {
		if markRead {
			if err := repo.MarkRead(c.UserContext(), it.ID, u.Subject, s.Now()); err != nil {
				return nil, err
			}
		}
		out = append(out, dashboard.Announcement{ID: it.ID, Title: it.Title, Body: it.Body, BodyHTML: it.BodyHTML,
			Severity: it.Severity, Pinned: it.Pinned, PublishedAt: it.PublishedAt, ExpiresAt: it.ExpiresAt,
			RequiresAck: it.RequiresAck, AcknowledgedAt: it.AcknowledgedAt})
	}
	return out, nil
}

// archivePage is the data of GET /announcements.
type archivePage struct {
	Items   []apiItem
	Query   string
	Page    int
	Prev    int
	Next    int
	Expired map[string]bool
}

// handleArchive is GET /announcements: everything the user was ever shown,
// newest first, paged and searchable; rendering it counts as read.
func (s *Server) handleArchive(c *fiber.Ctx) error {
	u := userOf(c)
	q := strings.Clone(c.Query("q"))
	page := c.QueryInt("page", 1)
	if page < 1 || page > 10000 {
		page = 1
	}
	repo := s.announcements(c)
	now := s.Now()
	p, err := repo.Archive(c.UserContext(), u.Groups, now, q, page, archivePageSize)
	if err != nil {
		return err
	}
	data := archivePage{Query: q, Page: p.Page, Expired: map[string]bool{}}
	if p.Page > 1 {
		data.Prev = p.Page - 1
	}
	if p.HasMore {
		data.Next = p.Page + 1
	}
	lang := s.lang(c)
	for _, a := range p.Items {
		var acked time.Time
		if a.RequiresAck {
			if acked, err = repo.AckedAt(c.UserContext(), a.ID, u.Subject); err != nil {
				return err
			}
		}
		if err := repo.MarkRead(c.UserContext(), a.ID, u.Subject, now); err != nil {
			return err
		}
		data.Items = append(data.Items, s.itemOf(a, lang, acked))
		data.Expired[a.ID] = a.Status(now) == announce.StatusExpired
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return s.render(c, fiber.StatusOK, "announcements", "ann.archive.title", data)
}

// handleAcknowledge is POST /announcements/:id/ack ("Zur Kenntnis
// genommen"): recorded with its time, for announcements the user may see.
func (s *Server) handleAcknowledge(c *fiber.Ctx) error {
	u := userOf(c)
	repo := s.announcements(c)
	a, err := repo.Get(c.UserContext(), copyParam(c, "id"))
	if err != nil || !a.VisibleTo(u.Groups, s.Now()) {
		return fiber.NewError(fiber.StatusNotFound, "no such announcement")
	}
	if !a.RequiresAck {
		return fiber.NewError(fiber.StatusBadRequest, "this announcement needs no acknowledgement")
	}
	if err := repo.Acknowledge(c.UserContext(), a.ID, u.Subject, s.Now()); err != nil {
		return err
	}
	if strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(SafeNext(strings.Clone(c.FormValue("next")))+"#a-"+a.ID, fiber.StatusSeeOther)
}
