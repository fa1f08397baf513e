package web

import (
	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/reminders"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// handleSaveReminders stores "Erinnerung vor Besprechungen"; a wrong field
// shows the page again (422) with the choice kept and the field's error.
func (s *Server) handleSaveReminders(c *fiber.Ctx) error {
	u, t := userOf(c), tenantOf(c)
	if !t.RemindersOn() {
		return fiber.NewError(fiber.StatusNotFound, "meeting reminders are switched off for this portal")
	}
	refused, err := reminders.Submit(c.UserContext(), store.ForTenant(s.Store, t.ID), u.Subject, u.Username, u.Claims, s.lang(c),
		func(k string) string { return c.FormValue(k) }, s.Now())
	if refused != nil {
		c.Locals(localReminder, refused)
		return s.handleSettings(c.Status(fiber.StatusUnprocessableEntity))
	}
	if err != nil {
		return err
	}
	on := reminders.ReadForm(func(k string) string { return c.FormValue(k) }).Enabled
	if err := s.Offline.Follow(c.UserContext(), t.ID, u.Subject, u.Tokens.Refresh, on); err != nil {
		return err
	}
	return c.Redirect("/settings?saved=reminders#reminders", fiber.StatusSeeOther)
}

// localReminder carries a refused reminder form to the settings page.
const localReminder = "reminder"
