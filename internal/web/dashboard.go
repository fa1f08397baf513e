package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

func dashboardKey(u *auth.User) string { return "dash:" + u.Subject }

// userDashboard returns the signed-in user's dashboard from the cache,
// building it from the sources when needed.
func (s *Server) userDashboard(c *fiber.Ctx, u *auth.User) (dashboard.Dashboard, error) {
	t := tenantOf(c)
	src := s.Sources[t.ID]
	req := dashboard.Request{User: dashboard.User{Name: u.Name, Email: u.Email}, Creds: s.credentials(c, u)}
	timeout := s.Config.Dashboard.SourceTimeout.Duration
	d, err := s.DashCache.Get(c.UserContext(), s.tenantStore(c), dashboardKey(u), s.Now(), func(ctx context.Context) dashboard.Dashboard {
		req.Now = s.Now()
		return dashboard.Build(ctx, src, timeout, req)
	})
	if err != nil {
		return d, err
	}
	d.Apps = appsOf(t.Apps)
	return d, nil
}

// handleAPIDashboard is GET /api/dashboard (public contract), with an ETag
// so an unchanged dashboard costs a 304.
func (s *Server) handleAPIDashboard(c *fiber.Ctx) error {
	d, err := s.userDashboard(c, userOf(c))
	if err != nil {
		return err
	}
	body, err := json.Marshal(d)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, "Cookie")
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
}

// handleHome renders the dashboard on the server: useful before (and
// without) any JavaScript.
func (s *Server) handleHome(c *fiber.Ctx) error {
	d, err := s.userDashboard(c, userOf(c))
	if err != nil {
		return err
	}
	p := dashboardPage{D: d}
	loc := tenantOf(c).Location
	y, m, day := s.Now().In(loc).Date()
	endOfToday := time.Date(y, m, day+1, 0, 0, 0, 0, loc)
	for _, e := range d.Calendar.Events {
		if e.Start.Before(endOfToday) {
			p.Today = append(p.Today, e)
		} else if len(p.Later) < 5 {
			p.Later = append(p.Later, e)
		}
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return s.render(c, fiber.StatusOK, "home", "home.title", p)
}
