package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
)

// archivePageSize is how many announcements the archive shows per page.
const archivePageSize = 20

// seeUser records a signed-in user for the "targeted" figures.
func (s *Server) seeUser(c *fiber.Ctx, u *auth.User) {
	s.Announce.SeeUser(c.UserContext(), s.viewer(c, u), u.Name)
}

// archivePage is the data of GET /announcements.
type archivePage struct {
	Items   []announce.Item
	Query   string
	Page    int
	Prev    int
	Next    int
	Expired map[string]bool
}

// handleArchive is GET /announcements: everything the user was ever shown,
// newest first, paged and searchable; rendering it counts as read.
func (s *Server) handleArchive(c *fiber.Ctx) error {
	q := strings.Clone(c.Query("q"))
	page := c.QueryInt("page", 1)
	if page < 1 || page > 10000 {
		page = 1
	}
	v, err := s.Announce.Archive(c.UserContext(), s.viewer(c, userOf(c)), q, page, archivePageSize)
	if err != nil {
		return err
	}
	data := archivePage{Items: v.Items, Query: q, Page: v.Page, Expired: v.Expired}
	if v.Page > 1 {
		data.Prev = v.Page - 1
	}
	if v.HasMore {
		data.Next = v.Page + 1
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return s.render(c, fiber.StatusOK, "announcements", "ann.archive.title", data)
}

// handleAcknowledge is POST /announcements/:id/ack ("Zur Kenntnis
// genommen"): recorded with its time, for announcements the user may see.
func (s *Server) handleAcknowledge(c *fiber.Ctx) error {
	a, err := s.Announce.Acknowledge(c.UserContext(), s.viewer(c, userOf(c)), copyParam(c, "id"))
	if err != nil {
		return announceErr(err)
	}
	if strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(auth.SafeNext(strings.Clone(c.FormValue("next")))+"#a-"+a.ID, fiber.StatusSeeOther)
}
