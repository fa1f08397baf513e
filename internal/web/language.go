package web

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
)

// langCookie remembers the user's language choice; s.lang reads it before
// Accept-Language and the tenant default.
const (
	langCookie    = "lang"
	langCookieAge = 365 * 24 * time.Hour
)

// langLink is one entry of the language switch: a plain link, so switching
// works without JavaScript.
type langLink struct {
	Code string // "en"
	Name string // the language's own name ("English")
	Href string // /lang/en?next=/current/page
}

// handleLanguage is GET /lang/:code?next=/path: it stores the choice in a
// host-only cookie for a year and returns to the page the user was on.
// Only a same-site path is followed (SafeNext), so the link cannot become
// an open redirect.
func (s *Server) handleLanguage(c *fiber.Ctx) error {
	code := strings.Clone(c.Params("code"))
	if !slices.Contains(i18n.Supported, code) {
		return fiber.ErrNotFound
	}
	c.Cookie(&fiber.Cookie{
		Name:     langCookie,
		Value:    code,
		Path:     "/",
		MaxAge:   int(langCookieAge / time.Second),
		Expires:  s.Now().Add(langCookieAge),
		HTTPOnly: true,
		Secure:   c.Protocol() == "https",
		SameSite: fiber.CookieSameSiteLaxMode,
	})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(auth.SafeNext(strings.Clone(c.Query("next"))), fiber.StatusSeeOther)
}

// langLinks lists the languages other than the current one, each linking
// to the switch with the page to come back to.
func (s *Server) langLinks(current, back string) []langLink {
	var out []langLink
	for _, code := range i18n.Supported {
		if code == current {
			continue
		}
		href := "/lang/" + code + "?next=" + url.QueryEscape(auth.SafeNext(back))
		out = append(out, langLink{Code: code, Name: s.Catalog.T(code, "lang.name"), Href: href})
	}
	return out
}

// backPath is where the language switch returns to: the page itself for a
// GET, the start page after a form post (repeating a POST is never right).
func backPath(c *fiber.Ctx) string {
	if c.Method() != fiber.MethodGet {
		return "/"
	}
	return strings.Clone(c.OriginalURL())
}
