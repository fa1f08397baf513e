package web

import (
	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/navigation"
)

// userSnapshot returns the signed-in user's source snapshot (still
// encoded); the credential resolver says how to reach each source.
func (s *Server) userSnapshot(c *fiber.Ctx, u *auth.User) (dashboard.Cached, error) {
	creds := s.credentials(c).For(accounts.Person{Subject: u.Subject, Username: u.Username, AccessToken: u.Tokens.Access, Claims: u.Claims})
	stored, _ := c.Locals(localSnapshot).([]byte)
	return s.Dashboard.GetWith(c.UserContext(), tenantOf(c).ID, u.Subject, dashboard.User{Name: u.Name, Email: u.Email}, creds, stored)
}

// records are the sessions' users, each linked to the user's snapshot.
func (s *Server) records(c *fiber.Ctx) auth.Records {
	return auth.Records{Store: s.tenantStore(c), SessionKey: func(id string) string { return "sess:" + id }, Link: dashboard.SnapshotKey, TTL: SessionTTL}
}

// invalidateDashboard drops the user's snapshot everywhere (an account was
// connected or removed), so the next request fetches again.
func (s *Server) invalidateDashboard(c *fiber.Ctx, u *auth.User) { s.dropSnapshot(c, u.Subject) }

// userDashboard is the whole dashboard for the page: the cached snapshot
// plus announcements (per request: new ones show at once) and app tiles.
func (s *Server) userDashboard(c *fiber.Ctx, u *auth.User) (dashboard.Dashboard, error) {
	cached, err := s.userSnapshot(c, u)
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	snap, err := cached.Snapshot()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	d := dashboard.Dashboard{Snapshot: snap, Apps: s.Navigation.Tiles(c.UserContext(), tenantOf(c).Tenant, navigation.Claims(u.Username, u.Email, u.Subject), s.lang(c))}
	d.Announcements, err = s.Announce.OnDashboard(c.UserContext(), s.viewer(c, u), true)
	return d, err
}

// handleAPIDashboard is GET /api/dashboard (public contract), with an ETag
// so an unchanged dashboard costs a 304. The cached snapshot is sent as
// stored; only announcements and apps are encoded per request.
func (s *Server) handleAPIDashboard(c *fiber.Ctx) error {
	u := userOf(c)
	cached, err := s.userSnapshot(c, u)
	if err != nil {
		return err
	}
	anns, err := s.Announce.OnDashboard(c.UserContext(), s.viewer(c, u), false)
	if err != nil {
		return err
	}
	body, etag, err := dashboard.Assemble(cached, anns, s.Navigation.Tiles(c.UserContext(), tenantOf(c).Tenant, navigation.Claims(u.Username, u.Email, u.Subject), s.lang(c)))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, "Accept-Language, Cookie") // announcements and app names are in the user's language
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

// dashboardPage is the start page's data.
type dashboardPage struct {
	D     dashboard.Dashboard
	Today []dashboard.Event
	Later []dashboard.Event
	Now   dashboard.NowCard
	TTL   int // seconds the data stays fresh (quiet refresh after)
}

// handleHome renders the dashboard on the server: useful before (and
// without) any JavaScript.
func (s *Server) handleHome(c *fiber.Ctx) error {
	d, err := s.userDashboard(c, userOf(c))
	if err != nil {
		return err
	}
	p := dashboardPage{D: d, Now: dashboard.NowOf(d, s.Now()), TTL: int(s.Config.Dashboard.CacheTTL.Seconds())}
	p.Today, p.Later = dashboard.Agenda(d.Calendar.Events, s.Now(), tenantOf(c).Location)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return s.render(c, fiber.StatusOK, "home", "home.title", p)
}
