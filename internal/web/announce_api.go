package web

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// apiToken returns the name of the tenant's API token that the request's
// bearer token matches. Every configured hash is compared in constant time.
func apiToken(c *fiber.Ctx, tokens []config.APIToken) (name string, sent, ok bool) {
	h := c.Get(fiber.HeaderAuthorization)
	if !strings.HasPrefix(h, "Bearer ") {
		return "", false, false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))))
	for _, t := range tokens {
		want, err := hex.DecodeString(t.SHA256)
		if err == nil && subtle.ConstantTimeCompare(sum[:], want) == 1 && !ok {
			name, ok = t.Name, true
		}
	}
	return name, true, ok
}

// requireWriter admits a valid API token of this tenant or a signed-in admin
// (whose CSRF token checkCSRF has already verified).
func (s *Server) requireWriter(c *fiber.Ctx) error {
	if name, sent, ok := apiToken(c, tenantOf(c).APITokens); sent {
		if !ok {
			return fiber.NewError(fiber.StatusUnauthorized, "invalid API token")
		}
		c.Locals(localActor, "api:"+name)
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
	c.Locals(localActor, actorName(u))
	return c.Next()
}

func actorName(u *auth.User) string {
	if u.Username != "" && u.Username != u.Name {
		return u.Name + " (" + u.Username + ")"
	}
	return u.Name
}

// apiItem is an announcement in the caller's view.
type apiItem struct {
	ID             string        `json:"id"`
	Title          string        `json:"title"`
	Body           string        `json:"body"`
	BodyHTML       template.HTML `json:"body_html"`
	Severity       string        `json:"severity"`
	Pinned         bool          `json:"pinned"`
	PublishedAt    time.Time     `json:"published_at"`
	ExpiresAt      *time.Time    `json:"expires_at"`
	RequiresAck    bool          `json:"requires_ack"`
	AcknowledgedAt *time.Time    `json:"acknowledged_at"`
}

// apiAnnouncement is the full record, for writers.
type apiAnnouncement struct {
	*announce.Announcement
	BodyHTML template.HTML `json:"body_html"`
	Status   string        `json:"status"`
}

func (s *Server) itemOf(a *announce.Announcement, lang string, acked time.Time) apiItem {
	txt := a.In(lang)
	it := apiItem{ID: a.ID, Title: txt.Title, Body: txt.Body, BodyHTML: s.ann.md.HTML(txt.Body), Severity: a.Severity,
		Pinned: a.Pinned, PublishedAt: a.PublishAt, ExpiresAt: a.ExpiresAt, RequiresAck: a.RequiresAck}
	if !acked.IsZero() {
		it.AcknowledgedAt = &acked
	}
	return it
}

func (s *Server) fullOf(a *announce.Announcement) apiAnnouncement {
	return apiAnnouncement{Announcement: a, BodyHTML: s.ann.md.HTML(a.Body), Status: a.Status(s.Now())}
}

// handleAPIAnnouncements is GET /api/announcements (public contract): a
// signed-in user gets what they may see now; an API token gets every
// announcement of the tenant with its status.
func (s *Server) handleAPIAnnouncements(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	if _, sent, ok := apiToken(c, tenantOf(c).APITokens); sent {
		if !ok {
			return fiber.NewError(fiber.StatusUnauthorized, "invalid API token")
		}
		all, err := s.announcements(c).All(c.UserContext())
		if err != nil {
			return err
		}
		out := make([]apiAnnouncement, 0, len(all))
		for _, a := range all {
			out = append(out, s.fullOf(a))
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
	items, err := s.currentItems(c, u)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"announcements": items})
}

// currentItems is what u sees now, in u's language.
func (s *Server) currentItems(c *fiber.Ctx, u *auth.User) ([]apiItem, error) {
	repo := s.announcements(c)
	now := s.Now()
	all, err := s.unexpiredAnnouncements(c.UserContext(), tenantOf(c).ID, repo, now)
	if err != nil {
		return nil, err
	}
	cur := announce.CurrentOf(all, u.Groups, now)
	lang := s.lang(c)
	out := make([]apiItem, 0, len(cur))
	for _, a := range cur {
		var acked time.Time
		if a.RequiresAck {
			if acked, err = repo.AckedAt(c.UserContext(), a.ID, u.Subject); err != nil {
				return nil, err
			}
		}
		out = append(out, s.itemOf(a, lang, acked))
	}
	return out, nil
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
	a, err := s.createAnnouncement(c, in)
	if err != nil {
		return err
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
	a, err := s.updateAnnouncement(c, copyParam(c, "id"), in)
	if err != nil {
		return err
	}
	return c.JSON(s.fullOf(a))
}

// handleAPIWithdrawAnnouncement is DELETE /api/announcements/:id.
func (s *Server) handleAPIWithdrawAnnouncement(c *fiber.Ctx) error {
	a, err := s.withdrawAnnouncement(c, copyParam(c, "id"))
	if err != nil {
		return err
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
