package web

import (
	"strings"
	"time"

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
		data.Items = append(data.Items, s.Announce.ItemOf(a, lang, acked))
		data.Expired[a.ID] = a.Status(now) == announce.StatusExpired
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
	return c.Redirect(SafeNext(strings.Clone(c.FormValue("next")))+"#a-"+a.ID, fiber.StatusSeeOther)
}
