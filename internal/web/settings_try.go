package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// tryAccount signs in to src with a before it is stored, so a wrong app
// password is not shown as "Verbunden". It returns why it failed
// (accounts.Refusal), or "" (also for empty fields, which accounts.Connect
// refuses with its own message).
func (s *Server) tryAccount(c *fiber.Ctx, src string, a accounts.Account) string {
	if strings.TrimSpace(a.Username) == "" || a.Password == "" {
		return ""
	}
	cred := upstream.Credential{Username: strings.TrimSpace(a.Username), Password: a.Password}
	err := s.Dashboard.Try(c.UserContext(), tenantOf(c).ID, src, cred)
	reason := accounts.Refusal(err)
	if reason == accounts.RefusedUnreachable {
		s.Logger.Info("settings: app password not checked", "tenant", tenantOf(c).ID, "source", src, "err", err)
	}
	return reason
}
