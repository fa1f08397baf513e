package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// signedOutCookie tells the next sign-in page that the user just signed
// out, so it can say so ("Sie wurden abgemeldet"); it holds nothing else.
const signedOutCookie = "pforte_signed_out"

// markSignedOut sets signedOutCookie for a few minutes.
func (s *Server) markSignedOut(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: signedOutCookie, Value: "1", Path: "/", MaxAge: 300, Expires: s.Now().Add(5 * time.Minute),
		HTTPOnly: true, Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteLaxMode})
}

// takeSignedOut reports whether the user just signed out, once.
func (s *Server) takeSignedOut(c *fiber.Ctx) bool {
	if c.Cookies(signedOutCookie) == "" {
		return false
	}
	c.ClearCookie(signedOutCookie)
	return true
}
