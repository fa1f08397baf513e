package web

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// view is what every page template receives. Page-specific data goes in Data.
type view struct {
	Lang     string
	Tenant   *tenant.Tenant
	Title    string
	Demo     bool
	ThemeURL string
	LogoURL  string
	User     *auth.User
	CSRF     string
	Data     any
	Langs    []langLink // the language switch (language.go)
	VAPIDKey string     // signed in: the push key, so each visit refreshes the subscription
}

func (s *Server) templateFuncs() map[string]any {
	return map[string]any{
		"asset": s.assets.URL,
		"t": func(lang, key string, args ...any) string {
			return s.Catalog.T(lang, key, args...)
		},
		// safeURL is only for URLs Pforte builds itself (never upstream data).
		"safeURL": func(u string) template.URL { return template.URL(u) }, // #nosec G203 -- only URLs Pforte builds
		"clock":   i18n.Clock,
		"day":     i18n.Day,
		"iso":     i18n.ISOTime,
		"size":    i18n.ByteSize,
	}
}

// lang picks the language for this request: the user's choice (cookie),
// then Accept-Language, then the tenant default.
func (s *Server) lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	fallback := "de"
	if t := tenantOf(c); t != nil {
		fallback = t.DefaultLocale
	}
	l := s.Catalog.Pick(c.Cookies("lang"), c.Get(fiber.HeaderAcceptLanguage), fallback)
	c.Locals(localLang, l)
	return l
}

// render fills the common view fields and renders name in the main layout.
func (s *Server) render(c *fiber.Ctx, status int, name, titleKey string, data any) error {
	t := tenantOf(c)
	v := view{Lang: s.lang(c), Tenant: t, Demo: s.Config.Demo, Data: data, User: userOf(c)}
	if v.User != nil && t != nil {
		v.VAPIDKey = s.vapidPublicKey(c)
	}
	if v.User != nil {
		v.CSRF = auth.MaskCSRF(v.User.CSRF) // fresh bytes per response (BREACH)
	}
	v.Title = s.Catalog.T(v.Lang, titleKey)
	v.Langs = s.langLinks(v.Lang, backPath(c))
	if t != nil {
		v.ThemeURL = "/theme/" + t.Brand.ThemeHash + ".css"
		if t.Brand.Logo != nil {
			v.LogoURL = "/brand/logo/" + t.Brand.LogoHash
		}
	}
	c.Set(fiber.HeaderContentLanguage, v.Lang)
	c.Set(fiber.HeaderVary, "Accept-Language, Cookie")
	return c.Status(status).Render(name, v)
}
