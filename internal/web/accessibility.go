package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/i18n"
)

// statementDate is when Pforte's pages were last assessed (axe-core and
// Lighthouse in the test suite, both languages and colour schemes, plus a
// keyboard check). Update it with every new assessment.
const statementDate = "2026-11-23"

// accessibilityPage is the data of the accessibility statement.
type accessibilityPage struct {
	Date     string // ISO date for <time datetime>
	DateText string // the same date as the language writes it
	Feedback string // legal.feedback_email; empty: "ask your IT"
}

// handleAccessibility is GET /barrierefreiheit (and /accessibility): the
// tenant's "Erklärung zur Barrierefreiheit" required by BITV 2.0 § 7. It is
// public, like imprint and privacy. A tenant that publishes its own
// statement (legal.accessibility_url) is sent there instead.
func (s *Server) handleAccessibility(c *fiber.Ctx) error {
	t := tenantOf(c)
	if u := t.Legal.AccessibilityURL; u != "" {
		return c.Redirect(u, fiber.StatusFound)
	}
	// Signed-in users keep their header (name, sign-out) on this page too.
	if _, err := s.currentUser(c); err != nil {
		return err
	}
	lang := s.lang(c)
	d, err := time.Parse(time.DateOnly, statementDate)
	if err != nil {
		return err
	}
	p := accessibilityPage{Date: statementDate, DateText: i18n.LongDate(lang, d), Feedback: t.Legal.FeedbackEmail}
	return s.render(c, fiber.StatusOK, "accessibility", "a11y.title", p)
}
