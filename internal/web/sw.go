package web

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// headerUserKey tells the service worker whose personal data a response is,
// so it keeps one user's pages per cache and drops the others. The value is
// an HMAC of tenant and subject: stable per user, useless to anyone else.
const headerUserKey = "X-Pforte-User"

// configLine is the line of templates/sw.js the server fills in.
const configLine = "const CONFIG = {}; // filled in by the server"

// serviceWorkers are the /sw.js bodies per tenant, built once at start: the
// template with this tenant's app shell (hashed URLs) and a version that
// changes whenever any of them does.
type serviceWorkers struct {
	byTenant map[string]serviceWorker
	userKey  []byte // HMAC key for headerUserKey
}

type serviceWorker struct {
	body, gz []byte
	etag     string
}

func newServiceWorkers(files fs.FS, st *assets, reg *tenant.Registry, secret string) (*serviceWorkers, error) {
	tmpl, err := fs.ReadFile(files, "templates/sw.js")
	if err != nil {
		return nil, fmt.Errorf("web: service worker: %w", err)
	}
	if !bytes.Contains(tmpl, []byte(configLine)) {
		return nil, fmt.Errorf("web: service worker: templates/sw.js lacks %q", configLine)
	}
	var shared []string
	for name := range st.byName {
		u, _ := st.URL(name)
		shared = append(shared, u)
	}
	slices.Sort(shared)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("pforte service worker user key v1"))
	sws := &serviceWorkers{byTenant: map[string]serviceWorker{}, userKey: mac.Sum(nil)}
	for _, t := range reg.All() {
		shell := append(slices.Clone(shared), "/offline", "/manifest.webmanifest", "/theme/"+t.Brand.ThemeHash+".css")
		if t.Brand.Logo != nil {
			shell = append(shell, "/brand/logo/"+t.Brand.LogoHash)
		}
		// Only what pages show; the install icons are fetched by the browser when it installs.
		shell = append(shell, iconURL(t.Brand.Icons.Favicon32))
		cfg := map[string]any{"shell": shell, "name": t.Name, "icon": iconURL(t.Brand.Icons.Any192)}
		// The version covers everything in the served script, so the ETag
		// changes whenever the script does.
		raw, err := json.Marshal(cfg)
		if err != nil {
			return nil, fmt.Errorf("web: service worker: %w", err)
		}
		sum := sha256.Sum256(append(slices.Clone(tmpl), raw...))
		version := hex.EncodeToString(sum[:6])
		cfg["version"] = version
		if raw, err = json.Marshal(cfg); err != nil {
			return nil, fmt.Errorf("web: service worker: %w", err)
		}
		body := bytes.Replace(tmpl, []byte(configLine), []byte("const CONFIG = "+string(raw)+";"), 1)
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		sws.byTenant[t.ID] = serviceWorker{body: body, gz: gz.Bytes(), etag: `"` + version + `"`}
	}
	return sws, nil
}

// key is the opaque per-user value of headerUserKey.
func (sws *serviceWorkers) key(u *auth.User) string {
	mac := hmac.New(sha256.New, sws.userKey)
	mac.Write([]byte(u.Tenant + "\x00" + u.Subject))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// handleServiceWorker serves /sw.js at the root, so its scope is the whole
// site, with no-cache: browsers check for a new version on every update.
func (s *Server) handleServiceWorker(c *fiber.Ctx) error {
	sw, ok := s.workers.byTenant[tenantOf(c).ID]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderETag, sw.etag)
	if c.Get(fiber.HeaderIfNoneMatch) == sw.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(sw.gz)
	}
	return c.Send(sw.body)
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
		c.Set(headerUserKey, s.workers.key(u))
	}
	return err
}

func iconURL(i tenant.Icon) string { return "/brand/icon/" + i.Hash + ".png" }
