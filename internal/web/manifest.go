package web

import (
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// manifest is the Web App Manifest of a tenant (W3C Web Application Manifest).
type manifest struct {
	ID              string             `json:"id"`
	Name            string             `json:"name"`
	ShortName       string             `json:"short_name"`
	Description     string             `json:"description"`
	Lang            string             `json:"lang"`
	Dir             string             `json:"dir"`
	StartURL        string             `json:"start_url"`
	Scope           string             `json:"scope"`
	Display         string             `json:"display"`
	ThemeColor      string             `json:"theme_color"`
	BackgroundColor string             `json:"background_color"`
	Icons           []manifestIcon     `json:"icons"`
	Shortcuts       []manifestShortcut `json:"shortcuts"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

type manifestShortcut struct {
	Name  string         `json:"name"`
	URL   string         `json:"url"`
	Icons []manifestIcon `json:"icons"`
}

// handleManifest serves the tenant's manifest in the request's language:
// its name, colour and icons make the installed app look like the city's.
func (s *Server) handleManifest(c *fiber.Ctx) error {
	t := tenantOf(c)
	lang := s.lang(c)
	short := t.ShortName
	if short == "" {
		short = t.Name
	}
	ic := t.Brand.Icons
	small := []manifestIcon{icon(ic.Any192, "any")}
	m := manifest{
		ID: "/", Name: t.Name, ShortName: short, Description: s.Catalog.T(lang, "pwa.description"),
		Lang: lang, Dir: "ltr", StartURL: "/", Scope: "/", Display: "standalone",
		ThemeColor: t.Theme.PrimaryColor, BackgroundColor: "#ffffff",
		Icons: []manifestIcon{icon(ic.Any192, "any"), icon(ic.Any512, "any"), icon(ic.Maskable512, "maskable")},
		Shortcuts: []manifestShortcut{
			{Name: s.Catalog.T(lang, "home.announcements"), URL: "/announcements", Icons: small},
			{Name: s.Catalog.T(lang, "settings.title"), URL: "/settings", Icons: small},
		},
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderVary, "Accept-Language, Cookie")
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	return c.Send(body)
}

func icon(i tenant.Icon, purpose string) manifestIcon {
	n := strconv.Itoa(i.Size)
	return manifestIcon{Src: iconURL(i), Sizes: n + "x" + n, Type: "image/png", Purpose: purpose}
}

// handleIcon serves one of the tenant's derived app icons under its hash.
func (s *Server) handleIcon(c *fiber.Ctx) error {
	i, ok := tenantOf(c).Brand.Icons.ByHash(c.Params("hash"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(i.PNG)
}

// handleOffline is the page the service worker shows when a page is neither
// reachable nor kept. It holds nothing personal: every user may see it.
func (s *Server) handleOffline(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return s.render(c, fiber.StatusOK, "offline", "pwa.offline.title", nil)
}
