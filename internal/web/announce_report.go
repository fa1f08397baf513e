package web

import (
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
)

// detailPage is GET /admin/announcements/:id.
type detailPage struct {
	A        *announce.Announcement
	Status   string
	Rep      announce.Report
	Bars     []announce.Bar
	Height   int
	HTML     template.HTML
	Push     map[string]int   // web push figures (notify.Figures)
	PushBars []notify.Segment // stacked bar of Push
	Notice   string           // what saving did (announce_review.go)
}

// announcementReport loads the announcement named in the path and its figures.
func (s *Server) announcementReport(c *fiber.Ctx) (*announce.Announcement, announce.Report, error) {
	a, rep, err := s.announcements(c).WithReport(c.UserContext(), copyParam(c, "id"))
	return a, rep, announceErr(err)
}

// handleAdminDetail is GET /admin/announcements/:id: figures, a bar chart
// (SVG, no script) and the acknowledgement report per group.
func (s *Server) handleAdminDetail(c *fiber.Ctx) error {
	a, rep, err := s.announcementReport(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	fig := notify.Figures(c.UserContext(), s.tenantStore(c), a.ID)
	return s.render(c, fiber.StatusOK, "admin_announcement", "ann.admin.detail",
		detailPage{A: a, Status: a.Status(s.Now()), Rep: rep, Bars: announce.Bars(rep), Height: 3 * 28, HTML: s.Announce.HTML(a.Body),
			Push: fig, PushBars: notify.Segments(fig), Notice: s.savedNotice(c, a)})
}

// handleAdminReportCSV is GET /admin/announcements/:id/report.csv: one row
// per targeted user and group.
func (s *Server) handleAdminReportCSV(c *fiber.Ctx) error {
	a, rep, err := s.announcementReport(c)
	if err != nil {
		return err
	}
	var sb strings.Builder
	if err := rep.WriteCSV(&sb, tenantOf(c).Location); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="announcement-`+a.ID+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendString(sb.String())
}
