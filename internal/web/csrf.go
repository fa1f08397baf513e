package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
)

// csrfToken is the token the page embeds (<meta name="csrf-token"> and
// hidden form fields): the signed-in user's, else one kept in the
// anonymous session (for the demo sign-in form).
func (s *Server) csrfToken(c *fiber.Ctx) (string, error) {
	if u, err := s.currentUser(c); err != nil {
		return "", err
	} else if u != nil {
		return u.CSRF, nil
	}
	sess, err := s.session(c)
	if err != nil {
		return "", err
	}
	if tok, ok := sess.Get(sessCSRFKey).(string); ok {
		return tok, nil
	}
	tok := auth.NewSessionID()
	sess.Set(sessCSRFKey, tok)
	sess.SetExpiry(auth.FlowTTL) // anonymous: never the 12 h of a signed-in session
	return tok, s.saveSession(c, sess)
}

// existingCSRF is the token the page embedded, "" when this request has
// neither a user nor an anonymous session holding one.
func (s *Server) existingCSRF(c *fiber.Ctx) (string, error) {
	if u, err := s.currentUser(c); err != nil {
		return "", err
	} else if u != nil {
		return u.CSRF, nil
	}
	if s.sessionCookie(c) == "" {
		return "", nil
	}
	sess, err := s.session(c)
	if err != nil {
		return "", err
	}
	tok, _ := sess.Get(sessCSRFKey).(string)
	return tok, nil
}

// checkCSRF guards every state-changing request that a browser session
// makes: the Origin (or Fetch Metadata) must be this site, and the token
// must come back as X-CSRF-Token or the _csrf form field, masked (as pages
// carry it, auth.MaskCSRF) or not.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	// API tokens (not cookies) authenticate tooling on the announcements
	// API; requireWriter checks them. Nowhere else does a bearer header
	// waive the CSRF check.
	if strings.HasPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ") && strings.HasPrefix(c.Path(), "/api/announcements") {
		return c.Next()
	}
	// The service worker reports shown/clicked notifications without a
	// token (it has none); see handlePushEvent for why that is harmless.
	if c.Path() == "/api/push/events" {
		return c.Next()
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && origin != c.BaseURL() {
		return fiber.NewError(fiber.StatusForbidden, "cross-site request refused")
	}
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return fiber.NewError(fiber.StatusForbidden, "cross-site request refused")
	}
	sent := c.Get("X-CSRF-Token")
	if sent == "" {
		sent = c.FormValue("_csrf")
	}
	// Only compare with a token that exists: checking must never create
	// an anonymous session (1,000 forged POSTs must store nothing).
	want, err := s.existingCSRF(c)
	if err != nil {
		return err
	}
	if !auth.CSRFMatches(sent, want) {
		return fiber.NewError(fiber.StatusForbidden, "missing or wrong CSRF token: reload the page and try again")
	}
	return c.Next()
}
