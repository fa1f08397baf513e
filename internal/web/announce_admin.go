package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
)

// asActor records the signed-in admin as the actor of admin actions.
func (s *Server) asActor(c *fiber.Ctx) error {
	c.Locals(localActor, adminActor(c, userOf(c)))
	return c.Next()
}

// handleAdminAnnouncements is GET /admin/announcements: every announcement
// with its status and figures.
func (s *Server) handleAdminAnnouncements(c *fiber.Ctx) error {
	rows, err := s.announcements(c).Overview(c.UserContext(), s.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.render(c, fiber.StatusOK, "admin_announcements", "ann.admin.title", rows)
}

// formPage is the write/edit form.
type formPage struct {
	ID         string // empty: new
	Severities []string
	F          announce.Form
	Error      string
	Action     string
	Errors     map[string]string // form field -> what is wrong (announce_review.go)
	Problems   []formProblem
	Review     *notify.Review // the summary before publishing
	Reviewed   string         // fingerprint of the reviewed fields
}

func severityList() []string {
	return []string{announce.SeverityInfo, announce.SeverityWarning, announce.SeverityCritical}
}

// readForm reads the posted form into the API's input; times are in the
// tenant's time zone.
func (s *Server) readForm(c *fiber.Ctx) (announce.Form, announce.Input, []*announce.FieldError) {
	v := func(k string) string { return strings.Clone(c.FormValue(k)) }
	f := announce.Form{Title: v("title"), Body: v("body"), TitleEN: v("title_en"), BodyEN: v("body_en"),
		Severity: v("severity"), Groups: v("groups"), PublishAt: v("publish_at"), ExpiresAt: v("expires_at"),
		Pinned: v("pinned") != "", Push: v("push") != "", RequiresAck: v("requires_ack") != ""}
	in, errs := f.Input(tenantOf(c).Location, s.Now())
	return f, in, errs
}

// handleAdminNew is GET /admin/announcements/new[?from=id] (duplicate).
func (s *Server) handleAdminNew(c *fiber.Ctx) error {
	p := formPage{Severities: severityList(), Action: "/admin/announcements", F: announce.Form{Severity: announce.SeverityInfo}}
	if from := c.Query("from"); from != "" {
		a, err := s.announcements(c).Get(c.UserContext(), strings.Clone(from))
		if err != nil {
			return announceErr(err)
		}
		p.F = announce.FormOf(a, tenantOf(c).Location, false)
	}
	return s.render(c, fiber.StatusOK, "admin_announcement_form", "ann.admin.new", p)
}

// handleAdminCreate is POST /admin/announcements (announce_review.go).
func (s *Server) handleAdminCreate(c *fiber.Ctx) error { return s.adminSave(c, "") }

// formError shows the form again with what is wrong (a 400 naming the
// field); other errors go to the error handler.
func (s *Server) formError(c *fiber.Ctx, p formPage, err error) error {
	var fieldErr *announce.FieldError
	var fe *fiber.Error
	switch {
	case errors.As(err, &fieldErr):
		p.Error = fieldErr.Error()
	case errors.As(err, &fe) && fe.Code == fiber.StatusBadRequest:
		p.Error = fe.Message
	default:
		return announceErr(err)
	}
	return s.render(c, fiber.StatusBadRequest, "admin_announcement_form", "ann.admin.edit", p)
}

// handleAdminEdit is GET /admin/announcements/:id/edit.
func (s *Server) handleAdminEdit(c *fiber.Ctx) error {
	id := copyParam(c, "id")
	a, err := s.announcements(c).Get(c.UserContext(), id)
	if err != nil {
		return announceErr(err)
	}
	p := formPage{Severities: severityList(), ID: id, Action: "/admin/announcements/" + id, F: announce.FormOf(a, tenantOf(c).Location, true)}
	return s.render(c, fiber.StatusOK, "admin_announcement_form", "ann.admin.edit", p)
}

// handleAdminUpdate is POST /admin/announcements/:id (announce_review.go).
func (s *Server) handleAdminUpdate(c *fiber.Ctx) error { return s.adminSave(c, copyParam(c, "id")) }

// handleAdminWithdraw is POST /admin/announcements/:id/withdraw.
func (s *Server) handleAdminWithdraw(c *fiber.Ctx) error {
	id := copyParam(c, "id")
	if _, err := s.Announce.Withdraw(c.UserContext(), actorOf(c), id); err != nil {
		return announceErr(err)
	}
	return c.Redirect("/admin/announcements/"+id, fiber.StatusSeeOther)
}

// handleAdminPreview is POST /admin/announcements/preview: the form's
// Markdown as sanitized HTML, for the live preview.
func (s *Server) handleAdminPreview(c *fiber.Ctx) error {
	body := c.FormValue("body")
	if len(body) > 20000*4 {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "body: too long")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(string(s.Announce.HTML(body)))
}

// handleAdminAudit is GET /admin/audit: who did what when, newest first.
func (s *Server) handleAdminAudit(c *fiber.Ctx) error {
	log, err := s.announcements(c).AuditLog(c.UserContext(), 500)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.render(c, fiber.StatusOK, "admin_audit", "ann.audit.title", log)
}
