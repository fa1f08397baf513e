package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
)

const (
	localUser     = "user"
	localSnapshot = "snapshot" // read along with the session (auth.Records)
	sessUserKey   = "u"
	sessCSRFKey   = "csrf"
)

// currentUser loads the signed-in user of this request (nil when signed
// out) and refreshes the access token shortly before it expires. A failed
// refresh ends the session: the user signs in again.
func (s *Server) currentUser(c *fiber.Ctx) (*auth.User, error) {
	if u, ok := c.Locals(localUser).(*auth.User); ok {
		return u, nil
	}
	t := tenantOf(c)
	sid := s.sessionCookie(c)
	if sid != "" {
		// Cached users are shared between requests: read-only.
		if u, ok := s.users.Get(t.ID+"/"+sid, s.Now()); ok {
			c.Locals(localUser, u)
			return u, nil
		}
		// The session record: user and snapshot in one round trip, no gob.
		u, snap, err := s.records(c).Load(c.UserContext(), s.Sealer, t.ID, sid, s.Now())
		if u != nil {
			s.users.Add(t.ID+"/"+sid, u)
			c.Locals(localUser, u)
			c.Locals(localSnapshot, snap)
		}
		if err != nil || u != nil {
			return u, err
		}
	}
	sess, err := s.session(c)
	if err != nil {
		return nil, err
	}
	raw, ok := sess.Get(sessUserKey).([]byte)
	if !ok {
		return nil, nil
	}
	u, err := auth.OpenUser(s.Sealer, t.ID, raw)
	if err != nil {
		s.Logger.Warn("unreadable session ended", "tenant", t.ID, "err", err)
		_ = sess.Destroy()
		return nil, nil
	}
	if u.NeedsRefresh(s.Now()) {
		u, err = s.refreshUser(c, u)
		if err != nil || u == nil {
			return nil, err
		}
	} else if sid != "" && sid == sess.ID() {
		s.users.Add(t.ID+"/"+sid, u)
	}
	c.Locals(localUser, u)
	return u, nil
}

// refreshUser renews the tokens (auth.Refresher: once per session even
// when several tabs ask at the same moment).
func (s *Server) refreshUser(c *fiber.Ctx, u *auth.User) (*auth.User, error) {
	t := tenantOf(c)
	sess, err := s.session(c)
	if err != nil {
		return nil, err
	}
	toks, err := s.refresher.Refresh(c.UserContext(), t.ID+"/"+sess.ID(), t.ID, t.OIDC, u)
	switch {
	case errors.Is(err, auth.ErrInvalid):
		s.Logger.Info("token refresh refused: session ended", "tenant", t.ID)
		s.endSession(c, u)
		return nil, nil
	case errors.Is(err, auth.ErrRefreshPending):
		return u, nil // the provider just failed: do not wait for it again yet
	case err != nil:
		// Provider down: keep the session; sources report their own errors.
		s.Logger.Warn("token refresh failed", "tenant", t.ID, "err", err)
		return u, nil
	}
	nu := *u // u may be shared with other requests
	nu.Tokens = toks
	if err := s.saveUser(c, &nu); err != nil {
		return nil, err
	}
	return &nu, nil
}

// saveUser seals u into the session.
func (s *Server) saveUser(c *fiber.Ctx, u *auth.User) error {
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	sealed, err := auth.SealUser(s.Sealer, u)
	if err != nil {
		return err
	}
	sess.Set(sessUserKey, sealed)
	sess.SetExpiry(SessionTTL)
	id := sess.ID()
	if err := s.saveSession(c, sess); err != nil {
		return err
	}
	if err := s.records(c).Save(c.UserContext(), s.Sealer, id, u); err != nil {
		return err
	}
	s.forget(c.UserContext(), "u", u.Tenant, id) // other instances drop their copy
	s.users.Add(u.Tenant+"/"+id, u)
	return nil
}

// endSession deletes the session and its index entries.
func (s *Server) endSession(c *fiber.Ctx, u *auth.User) {
	sess, err := s.session(c)
	if err != nil {
		return
	}
	id := sess.ID()
	if err := sess.Destroy(); err != nil {
		s.Logger.Warn("destroy session", "err", err)
	}
	s.forget(c.UserContext(), "u", tenantOf(c).ID, id)
	if u != nil {
		if err := s.sessionIndex(c).Remove(c.UserContext(), id, u); err != nil {
			s.Logger.Warn("unindex session", "err", err)
		}
		s.dropSnapshot(c, u.Subject)
	}
	c.Locals(localUser, nil)
}

// requireUser lets signed-in users through; others go to sign-in (pages)
// or get 401 (API).
func (s *Server) requireUser(c *fiber.Ctx) error {
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	if u == nil {
		if isAPI(c) {
			return fiber.NewError(fiber.StatusUnauthorized, "sign in first")
		}
		return c.Redirect("/login?next="+url.QueryEscape(string(c.Request().URI().RequestURI())), fiber.StatusSeeOther)
	}
	return c.Next()
}

// requireAdmin lets only members of the tenant's admin groups through.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	if u == nil || !u.Admin {
		return fiber.NewError(fiber.StatusForbidden, "IT administrators only")
	}
	return c.Next()
}

func userOf(c *fiber.Ctx) *auth.User {
	u, _ := c.Locals(localUser).(*auth.User)
	return u
}
