package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

func dashboardKey(u *auth.User) string { return "dash:" + u.Subject }

// userSnapshot returns the signed-in user's source snapshot from the cache
// (still encoded), building it from the sources when needed.
func (s *Server) userSnapshot(c *fiber.Ctx, u *auth.User) (dashboard.Cached, error) {
	t := tenantOf(c)
	now := s.Now()
	localKey := t.ID + "/" + u.Subject
	if cached, ok := s.local.snaps.Get(localKey); ok && !s.local.bypass && now.Before(cached.FreshTo) {
		return cached, nil
	}
	src := s.Sources[t.ID]
	req := dashboard.Request{User: dashboard.User{Name: u.Name, Email: u.Email}, Creds: s.credentials(c, u)}
	timeout := s.Config.Dashboard.SourceTimeout.Duration
	cached, err := s.DashCache.Get(c.UserContext(), s.tenantStore(c), dashboardKey(u), now, func(ctx context.Context) dashboard.Snapshot {
		req.Now = s.Now()
		return dashboard.Build(ctx, src, timeout, req)
	})
	if err == nil && now.Before(cached.FreshTo) {
		s.local.snaps.Add(localKey, cached)
	}
	return cached, err
}

// invalidateDashboard drops the user's snapshot everywhere (an account was
// connected or removed), so the next request fetches again.
func (s *Server) invalidateDashboard(c *fiber.Ctx, u *auth.User) {
	if err := s.DashCache.Invalidate(c.UserContext(), s.tenantStore(c), dashboardKey(u)); err != nil {
		s.Logger.Warn("invalidate dashboard", "err", err)
	}
	s.forget(c.UserContext(), "d", tenantOf(c).ID, u.Subject)
}

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
	d := dashboard.Dashboard{Snapshot: snap, Apps: appsOf(tenantOf(c).Apps)}
	d.Announcements, err = s.dashboardAnnouncements(c, u, true)
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
	anns, err := s.dashboardAnnouncements(c, u, false)
	if err != nil {
		return err
	}
	body, err := assembleDashboard(cached.JSON, anns, appsOf(tenantOf(c).Apps))
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

// assembleDashboard writes the contract's flat object: announcements and
// apps, then the snapshot's own fields.
func assembleDashboard(snapshot []byte, anns []dashboard.Announcement, apps []dashboard.App) ([]byte, error) {
	if len(snapshot) < 2 || snapshot[0] != '{' {
		return nil, errors.New("web: cached dashboard is not a JSON object")
	}
	if anns == nil {
		anns = []dashboard.Announcement{}
	}
	a, err := json.Marshal(anns)
	if err != nil {
		return nil, err
	}
	p, err := json.Marshal(apps)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(snapshot)+len(a)+len(p)+32)
	out = append(out, `{"announcements":`...)
	out = append(out, a...)
	out = append(out, `,"apps":`...)
	out = append(out, p...)
	out = append(out, ',')
	return append(out, snapshot[1:]...), nil
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
