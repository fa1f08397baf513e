package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/reminders"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

type settingsPage struct {
	Accounts []accounts.Connection
	Saved    string
	Error    string
	VAPIDKey string // the tenant's application server key for push
	Reason   string // why an app password was refused (settings_try.go)
	Confirm  string // the source whose deletion is asked about
	Deleted  string // the source whose app password was deleted
	// Reminder is "Erinnerung vor Besprechungen"; nil: the tenant has none.
	Reminder *reminders.View
}

// handleSettings shows "Konten verbinden": for sources with auth: password
// whether an app password is stored (never the password itself).
func (s *Server) handleSettings(c *fiber.Ctx) error {
	u := userOf(c)
	creds := s.credentials(c)
	p := settingsPage{Saved: c.Query("saved"), Error: c.Query("error"), VAPIDKey: s.vapidPublicKey(c),
		Reason: accounts.KnownRefusal(c.Query("reason")), Confirm: c.Query("confirm"), Deleted: c.Query("deleted")}
	var err error
	if p.Accounts, err = creds.Connections(c.UserContext(), u.Subject, u.Username); err != nil {
		return err
	}
	if v, ok := c.Locals(localReminder).(*reminders.View); ok {
		p.Reminder = v
	} else if t := tenantOf(c); t.RemindersOn() {
		if p.Reminder, err = reminders.LoadView(c.UserContext(), store.ForTenant(s.Store, t.ID), u.Subject, p.Saved == "reminders"); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.render(c, c.Response().StatusCode(), "settings", "settings.title", p)
}

// handleConnectAccount stores an app password for a source with auth: password.
func (s *Server) handleConnectAccount(c *fiber.Ctx) error {
	u := userOf(c)
	src := strings.Clone(c.Params("source"))
	creds := s.credentials(c)
	if creds.AuthOf(src) != accounts.AuthPassword {
		return fiber.NewError(fiber.StatusNotFound, "this source does not use app passwords")
	}
	a := accounts.Account{Username: c.FormValue("username"), Password: c.FormValue("password"), ConnectedAt: s.Now()}
	if reason := s.tryAccount(c, src, a); reason != "" {
		return c.Redirect("/settings?error="+src+"&reason="+reason+"#acct-"+src, fiber.StatusSeeOther)
	}
	if err := creds.Accounts().Connect(c.UserContext(), u.Subject, src, a); err != nil {
		if errors.Is(err, accounts.ErrInvalid) {
			return c.Redirect("/settings?error="+src, fiber.StatusSeeOther)
		}
		return err
	}
	s.invalidateDashboard(c, u)
	return c.Redirect("/settings?saved="+src, fiber.StatusSeeOther)
}

// handleDisconnectAccount deletes the user's app password for a source.
func (s *Server) handleDisconnectAccount(c *fiber.Ctx) error {
	u := userOf(c)
	src := strings.Clone(c.Params("source"))
	creds := s.credentials(c)
	if creds.AuthOf(src) != accounts.AuthPassword {
		return fiber.NewError(fiber.StatusNotFound, "this source does not use app passwords")
	}
	if c.FormValue("confirm") == "" { // ask first (settings.html)
		return c.Redirect("/settings?confirm="+src+"#acct-"+src, fiber.StatusSeeOther)
	}
	if err := creds.Accounts().Disconnect(c.UserContext(), u.Subject, src); err != nil {
		return err
	}
	s.invalidateDashboard(c, u)
	return c.Redirect("/settings?deleted="+src, fiber.StatusSeeOther)
}
