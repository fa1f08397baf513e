package web

// routes lists Pforte's whole HTTP surface. Public contract routes (see
// README) are marked; extend them, never rename or drop them.
func (s *Server) routes() {
	a := s.app
	a.Use(s.requestID, s.observe, s.recoverPanics, s.securityHeaders)

	// Operations: no tenant needed.
	a.Get("/healthz", s.handleHealthz)
	a.Get("/readyz", s.handleReadyz)
	a.Get("/metrics", s.handleMetrics)

	// Hashed, immutable static files (shared by all tenants).
	a.Get("/static/:hash/*", s.handleStatic)

	// Everything below belongs to the tenant of the Host header.
	a.Use(s.resolveTenant)
	a.Get("/theme/:hash.css", s.handleThemeCSS)
	a.Get("/brand/logo/:hash", s.handleLogo)

	// Sign-in (public contract: /login, /auth/callback, /logout, /auth/backchannel-logout).
	a.Post("/auth/backchannel-logout", s.handleBackchannelLogout) // server to server: no cookies, no CSRF
	a.Use(s.checkCSRF)
	a.Get("/login", s.handleLogin)
	a.Post("/login/demo", s.handleDemoLogin)
	a.Get("/auth/callback", s.handleCallback)
	a.Post("/logout", s.handleLogout)

	a.Get("/", s.requireUser, s.handleHome)                      // public contract
	a.Get("/api/dashboard", s.requireUser, s.handleAPIDashboard) // public contract
	a.Get("/settings", s.requireUser, s.handleSettings)
	a.Post("/settings/accounts/:source", s.requireUser, s.handleConnectAccount)
	a.Post("/settings/accounts/:source/delete", s.requireUser, s.handleDisconnectAccount)
	a.Use(s.handleNotFound)
}
