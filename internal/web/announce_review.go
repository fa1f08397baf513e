package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
)

// Form actions: the first submit shows the summary (review); publishing
// needs the summary of exactly the fields sent (fingerprint); a draft can be
// saved at any time.
const (
	actionReview  = "review"
	actionPublish = "publish"
	actionDraft   = "draft"
	actionEdit    = "edit" // back from the summary to the form
)

// formProblem is one wrong field, for the list above the form.
type formProblem struct{ ID, Label, Msg string }

// setErrors puts every problem next to its field (announce.FieldOf), in
// the page's language.
func (s *Server) setErrors(p *formPage, lang string, errs []*announce.FieldError) {
	p.Errors = map[string]string{}
	for _, fe := range errs {
		f, ok := announce.FieldOf(fe.Field)
		if _, dup := p.Errors[f.Name]; ok && !dup {
			msg := s.Catalog.T(lang, "ann.err."+fe.Code, fe.Args...)
			p.Errors[f.Name] = msg
			p.Problems = append(p.Problems, formProblem{ID: f.ID, Label: s.Catalog.T(lang, f.Label), Msg: msg})
		}
	}
}

// adminSave is POST /admin/announcements[/:id]: errors go back to the form
// all at once; a draft is saved; "publish" needs the summary first.
func (s *Server) adminSave(c *fiber.Ctx, id string) error {
	f, in, errs := s.readForm(c)
	p := formPage{Severities: severityList(), ID: id, Action: "/admin/announcements", F: f}
	repo := s.announcements(c)
	var base *announce.Announcement
	if id != "" {
		p.Action += "/" + id
		var err error
		if base, err = repo.Get(c.UserContext(), id); err != nil {
			return announceErr(err)
		}
		if base.WithdrawnAt != nil { // no summary for what cannot be saved
			return announceErr(announce.ErrWithdrawn)
		}
	}
	action := strings.Clone(c.FormValue("action"))
	if action == actionEdit {
		return s.render(c, fiber.StatusOK, "admin_announcement_form", "ann.admin.edit", p)
	}
	draft := action == actionDraft
	in.Draft = &draft
	a, est, ferrs, err := repo.DryRun(c.UserContext(), base, in, s.Now(), notify.NewDevices(s.tenantStore(c)))
	if err != nil {
		return err
	}
	if errs = append(errs, ferrs...); len(errs) > 0 {
		s.setErrors(&p, s.lang(c), errs)
		return s.render(c, fiber.StatusBadRequest, "admin_announcement_form", "ann.admin.edit", p)
	}
	if draft || (action == actionPublish && c.FormValue("reviewed") == f.Fingerprint()) {
		if id == "" {
			a, err = s.Announce.Create(c.UserContext(), actorOf(c), in)
		} else {
			a, err = s.Announce.Update(c.UserContext(), actorOf(c), id, in)
		}
		if err != nil {
			return s.formError(c, p, err)
		}
		return c.Redirect("/admin/announcements/"+a.ID+"?saved=1", fiber.StatusSeeOther)
	}
	known, err := repo.Groups(c.UserContext())
	if err != nil {
		return err
	}
	t := tenantOf(c)
	p.Review, p.Reviewed = notify.ReviewOf(a, est, known, t.Push.QuietHours, t.Location, s.Now()), f.Fingerprint()
	return s.render(c, fiber.StatusOK, "admin_announcement_form", "ann.review.title", p)
}

// savedNotice says what saving did (notify.Saved), on the page the admin
// lands on.
func (s *Server) savedNotice(c *fiber.Ctx, a *announce.Announcement) string {
	if c.Query("saved") == "" {
		return ""
	}
	lang := s.lang(c)
	key, args := notify.Saved(c.UserContext(), s.announcements(c), notify.NewDevices(s.tenantStore(c)), a, s.Now(), lang, tenantOf(c).Location)
	return s.Catalog.T(lang, key, args...)
}
