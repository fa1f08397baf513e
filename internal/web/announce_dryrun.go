package web

import (
	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
)

// dryRun answers POST /api/announcements?dry_run=true: 200 with whom the
// announcement would reach ({"audience", "devices", "unknown_groups"}),
// or 400 naming the first wrong field. Nothing is stored or sent.
func (s *Server) dryRun(c *fiber.Ctx, in announce.Input) error {
	_, est, errs, err := s.announcements(c).DryRun(c.UserContext(), nil, in, s.Now(), notify.NewDevices(s.tenantStore(c)))
	if len(errs) > 0 {
		return announceErr(errs[0])
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(est)
}
