package web

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/assets"
	"gitlab.opencode.de/pforte/pforte/internal/pwa"
)

// headerUserKey tells the service worker whose personal data a response is,
// so it keeps one user's pages per cache and drops the others
// (pwa.Workers.UserKey).
const headerUserKey = "X-Pforte-User"

// newServiceWorkers builds /sw.js per tenant from templates/sw.js and the
// hashed static files (pwa.NewWorkers).
func newServiceWorkers(d Deps, st *assets.Set) (*pwa.Workers, error) {
	tmpl, err := fs.ReadFile(d.Files, "templates/sw.js")
	if err != nil {
		return nil, fmt.Errorf("web: service worker: %w", err)
	}
	return pwa.NewWorkers(tmpl, st.URLs(), d.Tenants, d.Config.SecretKey)
}

// handleServiceWorker serves /sw.js at the root, so its scope is the whole
// site, with no-cache: browsers check for a new version on every update.
func (s *Server) handleServiceWorker(c *fiber.Ctx) error {
	sw, ok := s.workers.For(tenantOf(c).ID)
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderETag, sw.ETag)
	if c.Get(fiber.HeaderIfNoneMatch) == sw.ETag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(sw.Gzip)
	}
	return c.Send(sw.Body)
}

// markUser adds headerUserKey to every response of a signed-in user, and
// asks the browser to drop its HTTP cache on logout (Clear-Site-Data; the
// service worker's caches are dropped by the page and the worker itself).
func (s *Server) markUser(c *fiber.Ctx) error {
	logout := c.Method() == fiber.MethodPost && c.Path() == "/logout"
	if logout {
		c.Set("Clear-Site-Data", `"cache"`)
	}
	err := c.Next()
	if logout {
		return err
	}
	u := userOf(c)
	if u == nil && c.Method() == fiber.MethodGet {
		// Pages that do not need a user (404, offline) still belong to one.
		u, _ = s.currentUser(c)
	}
	if u != nil {
		c.Set(headerUserKey, s.workers.UserKey(u.Tenant, u.Subject))
	}
	return err
}
