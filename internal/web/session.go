package web

import (
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/fiberstore"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// SessionTTL is how long a session lives without a request; each save
// extends it.
const SessionTTL = 12 * time.Hour

// sessions holds Fiber session stores per tenant, each on the tenant's own
// key prefix, so a session id from one tenant finds nothing in another.
// Cookies carry only an opaque id, are host-only (no Domain), HttpOnly and
// SameSite=Lax; on real host names they are Secure with the __Host- prefix.
// Loopback hosts (development, tests) get a plain cookie because browsers
// drop Secure cookies over http.
type sessions struct {
	secure, plain map[string]*session.Store
}

func newSessions(reg *tenant.Registry, st store.Store) *sessions {
	ss := &sessions{secure: map[string]*session.Store{}, plain: map[string]*session.Store{}}
	for _, t := range reg.All() {
		storage := fiberstore.New(store.Prefixed(store.ForTenant(st, t.ID), "sess:"))
		base := session.Config{
			Storage: storage, Expiration: SessionTTL, CookieHTTPOnly: true,
			CookieSameSite: "Lax", CookiePath: "/", KeyGenerator: auth.NewSessionID,
		}
		sec := base
		sec.KeyLookup, sec.CookieSecure = "cookie:__Host-pforte", true
		plain := base
		plain.KeyLookup = "cookie:pforte"
		ss.secure[t.ID], ss.plain[t.ID] = session.New(sec), session.New(plain)
	}
	return ss
}

const localSession = "session"

// session returns the session of this request (a fresh one when there is
// none), read from the store once per request.
func (s *Server) session(c *fiber.Ctx) (*session.Session, error) {
	if sess, ok := c.Locals(localSession).(*session.Session); ok {
		return sess, nil
	}
	t := tenantOf(c)
	m := s.sessions.secure
	if loopback(c.Hostname()) {
		m = s.sessions.plain
	}
	sess, err := m[t.ID].Get(c)
	if err != nil {
		return nil, err
	}
	c.Locals(localSession, sess)
	return sess, nil
}

// saveSession writes the session; Fiber releases it afterwards, so the next
// session() call reads it again.
func (s *Server) saveSession(c *fiber.Ctx, sess *session.Session) error {
	c.Locals(localSession, nil)
	return sess.Save()
}

func loopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
