package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
)

// handleLogin starts sign-in: the demo chooser without OIDC in demo mode,
// else a redirect to the tenant's provider with state, nonce and PKCE.
func (s *Server) handleLogin(c *fiber.Ctx) error {
	t := tenantOf(c)
	next := auth.SafeNext(c.Query("next"))
	if u, err := s.currentUser(c); err != nil {
		return err
	} else if u != nil {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	if s.demoSignIn(t) {
		return s.renderDemoLogin(c, next)
	}
	if t.OIDC == nil {
		return s.signInError(c, fiber.StatusServiceUnavailable, "signin.error.notconfigured")
	}
	p, err := s.Auth.For(c.UserContext(), t.ID, t.OIDC)
	if err == nil {
		err = p.Reachable(c.UserContext())
	}
	if err != nil {
		s.Logger.Warn("sign-in provider unavailable", "tenant", t.ID, "err", err)
		return s.signInError(c, fiber.StatusBadGateway, "signin.error.unavailable")
	}
	flow := auth.NewFlow(next, c.BaseURL()+"/auth/callback")
	target, err := p.AuthURL(flow)
	if err != nil {
		return err
	}
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	auth.AddFlow(sess, s.Sealer, t.ID, flow, s.Now())
	if err := s.saveSession(c, sess); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(target, fiber.StatusSeeOther)
}

// handleCallback finishes sign-in. Each state works once; a replayed or
// forged callback, or a refused code, gets a 400 page and no session.
func (s *Server) handleCallback(c *fiber.Ctx) error {
	t := tenantOf(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if t.OIDC == nil {
		return fiber.ErrNotFound
	}
	if c.Query("error") != "" {
		s.Logger.Info("provider returned an error", "tenant", t.ID, "error", c.Query("error"))
		return s.signInError(c, fiber.StatusBadRequest, "signin.error.cancelled")
	}
	state, code := strings.Clone(c.Query("state")), strings.Clone(c.Query("code"))
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	if state == "" || code == "" {
		return s.signInError(c, fiber.StatusBadRequest, "signin.error.state")
	}
	// One use only, even when what follows fails.
	sealed, ok := auth.TakeFlow(sess, state, s.Now())
	if !ok {
		return s.signInError(c, fiber.StatusBadRequest, "signin.error.state")
	}
	if err := s.saveSession(c, sess); err != nil {
		return err
	}
	flow, ok := auth.OpenFlow(s.Sealer, t.ID, state, sealed)
	if !ok {
		return s.signInError(c, fiber.StatusBadRequest, "signin.error.state")
	}
	p, err := s.Auth.For(c.UserContext(), t.ID, t.OIDC)
	if err != nil {
		return s.signInError(c, fiber.StatusBadGateway, "signin.error.unavailable")
	}
	id, toks, err := p.Exchange(c.UserContext(), flow, code)
	if err != nil {
		s.Logger.Warn("sign-in refused", "tenant", t.ID, "err", err)
		if errors.Is(err, auth.ErrProviderUnavailable) {
			return s.signInError(c, fiber.StatusBadGateway, "signin.error.unavailable")
		}
		return s.signInError(c, fiber.StatusBadRequest, "signin.error.invalid")
	}
	u := auth.NewUser(t.ID, id, toks, t.OIDC.AdminGroups, s.Now())
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.Logger.Info("signed in", "tenant", t.ID, "admin", u.Admin)
	return c.Redirect(flow.Next, fiber.StatusSeeOther)
}

// startSession gives the user a new session id (no fixation) holding only
// the sealed user, and indexes it for back-channel logout.
func (s *Server) startSession(c *fiber.Ctx, u *auth.User) error {
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	if err := sess.Reset(); err != nil {
		return err
	}
	id := sess.ID()
	if err := s.saveUser(c, u); err != nil {
		return err
	}
	s.seeUser(c, u) // counts toward announcements' "targeted"
	return s.sessionIndex(c).Add(c.UserContext(), id, u)
}

// handleLogout ends the session here and at the provider (logout everywhere).
func (s *Server) handleLogout(c *fiber.Ctx) error {
	t := tenantOf(c)
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	s.endSession(c, u)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if u == nil || u.Demo || t.OIDC == nil {
		s.markSignedOut(c) // the sign-in page says "Sie wurden abgemeldet" (signedout.go)
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	p, err := s.Auth.For(c.UserContext(), t.ID, t.OIDC)
	if err != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	target := p.EndSessionURL(u.Tokens.ID, c.BaseURL()+"/")
	if target == "" {
		target = "/"
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// handleBackchannelLogout implements OpenID Connect Back-Channel Logout 1.0:
// the provider posts a signed logout_token and every matching session ends.
func (s *Server) handleBackchannelLogout(c *fiber.Ctx) error {
	t := tenantOf(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if t.OIDC == nil {
		return fiber.NewError(fiber.StatusNotImplemented, "no sign-in provider configured")
	}
	raw := c.FormValue("logout_token")
	if raw == "" {
		return fiber.NewError(fiber.StatusBadRequest, "logout_token is required")
	}
	p, err := s.Auth.For(c.UserContext(), t.ID, t.OIDC)
	if err != nil {
		return fiber.NewError(fiber.StatusBadGateway, "provider unavailable")
	}
	claims, err := p.VerifyLogoutToken(c.UserContext(), raw)
	if err != nil {
		s.Logger.Warn("logout token refused", "tenant", t.ID, "err", err)
		return fiber.NewError(fiber.StatusBadRequest, "invalid logout_token")
	}
	ended, replayed, err := s.sessionIndex(c).LogOut(c.UserContext(), claims, s.Now())
	if err != nil {
		return err
	}
	if replayed {
		s.Logger.Warn("logout token replayed: ignored", "tenant", t.ID)
		return c.SendStatus(fiber.StatusOK) // already done; the provider needs no retry
	}
	if claims.SID == "" && claims.Subject != "" { // every session of the user: logged out everywhere
		if err := offline.Drop(c.UserContext(), s.tenantStore(c), claims.Subject, offline.LogoutEverywhere, "", s.Now()); err != nil {
			return err
		}
	}
	for _, e := range ended {
		s.forget(c.UserContext(), "u", t.ID, e.ID)
		if e.Subject != "" {
			s.dropSnapshot(c, e.Subject)
		}
	}
	s.Logger.Info("back-channel logout", "tenant", t.ID, "sessions", len(ended))
	return c.SendStatus(fiber.StatusOK)
}

func (s *Server) sessionIndex(c *fiber.Ctx) auth.Index {
	return auth.Index{Store: s.tenantStore(c), SessionKey: func(id string) string { return "sess:" + id }, TTL: SessionTTL}
}

// signInError renders a friendly page in the user's language, never a stack trace.
func (s *Server) signInError(c *fiber.Ctx, status int, key string) error {
	return s.render(c, status, "signin_error", key+".title", signInErrorPage{Key: key, Retry: "/login?next=" + url.QueryEscape("/")})
}

type signInErrorPage struct {
	Key   string
	Retry string
}
