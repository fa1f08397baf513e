package web

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/records"
)

// handleMyData is GET /settings/my-data: "Meine Daten", everything Pforte
// keeps about the signed-in person as a JSON download (Art. 15 DSGVO).
func (s *Server) handleMyData(c *fiber.Ctx) error {
	u, t := userOf(c), tenantOf(c)
	p, err := records.CollectPerson(c.UserContext(), s.tenantStore(c), t.ID, u.Subject, s.Now())
	if err != nil {
		return err
	}
	raw, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="pforte-meine-daten.json"`)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(raw)
}

// erasePage is the admin's erasure form and the result of the last one.
type erasePage struct {
	Done      string // pseudonym of the person just erased
	Receipts  string
	Devices   string
	Passwords string
	Sessions  string
	Error     bool
}

// handleAdminErasePage is GET /admin/erase: the form to erase a person's data.
func (s *Server) handleAdminErasePage(c *fiber.Ctx) error {
	p := erasePage{Done: c.Query("done"), Receipts: c.Query("r"), Devices: c.Query("d"), Passwords: c.Query("p"), Sessions: c.Query("s"), Error: c.Query("error") != ""}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.render(c, fiber.StatusOK, "admin_erase", "erase.title", p)
}

// handleAdminErase is POST /admin/erase: deletes a person's receipts,
// devices, app passwords and sessions (Art. 17 DSGVO) and signs them out
// on every instance; the audit log keeps that it happened.
func (s *Server) handleAdminErase(c *fiber.Ctx) error {
	subject := strings.TrimSpace(c.FormValue("subject"))
	if subject == "" || len(subject) > 255 || c.FormValue("confirm") != "yes" {
		return c.Redirect("/admin/erase?error=1", fiber.StatusSeeOther)
	}
	t := tenantOf(c)
	e, err := records.Erase(c.UserContext(), s.tenantStore(c), t.ID, subject, actorOf(c).Name, s.Now())
	if err != nil {
		return err
	}
	for _, id := range e.SessionIDs {
		s.forget(c.UserContext(), "u", t.ID, id)
	}
	s.forget(c.UserContext(), "d", t.ID, subject)
	q := url.Values{"done": {records.Pseudonym(t.ID, subject)}, "r": {strconv.Itoa(e.Receipts)}, "d": {strconv.Itoa(e.Devices)},
		"p": {strconv.Itoa(e.AppPasswords)}, "s": {strconv.Itoa(e.Sessions)}}
	return c.Redirect("/admin/erase?"+q.Encode(), fiber.StatusSeeOther)
}
