package web

// routes lists Pforte's whole HTTP surface. Public contract routes (see
// README) are marked; extend them, never rename or drop them.
func (s *Server) routes() {
	a := s.app
	a.Use(s.requestID, s.observe, s.recoverPanics, s.securityHeaders, compressResponses()) // compress.go
	a.Use(s.rejectDuplicateHost)                                                           // host_check.go

	// Operations: no tenant needed.
	a.Get("/healthz", s.handleHealthz)
	a.Get("/readyz", s.handleReadyz)
	a.Get("/metrics", s.guardMetrics, s.handleMetrics) // metrics_access.go

	// Hashed, immutable static files (shared by all tenants).
	a.Get("/static/:hash/*", s.handleStatic)

	// Everything below belongs to the tenant of the Host header.
	a.Use(s.resolveTenant)
	a.Get("/theme/:hash.css", s.handleThemeCSS)
	a.Get("/brand/logo/:hash", s.handleLogo)
	a.Get("/brand/icon/:hash.png", s.handleIcon)
	a.Get("/nav/icons/:hash", s.handleNavIcon)       // central navigation icons (navigation.go)
	a.Get("/manifest.webmanifest", s.handleManifest) // PWA (manifest.go, sw.go)
	a.Get("/sw.js", s.handleServiceWorker)
	a.Get("/offline", s.handleOffline)

	// Sign-in (public contract: /login, /auth/callback, /logout, /auth/backchannel-logout).
	a.Post("/auth/backchannel-logout", s.handleBackchannelLogout) // server to server: no cookies, no CSRF
	a.Use(s.checkCSRF)
	a.Use(s.markUser) // tells the service worker whose data a response is
	a.Get("/login", s.limitSignIn, s.handleLogin)
	a.Post("/login/demo", s.handleDemoLogin)
	a.Get("/auth/callback", s.limitSignIn, s.handleCallback)
	a.Post("/logout", s.handleLogout)

	// Public pages for everyone, signed in or not.
	a.Get("/lang/:code", s.handleLanguage)            // language switch without JavaScript (?next=/path)
	a.Get("/barrierefreiheit", s.handleAccessibility) // accessibility statement (BITV 2.0)
	a.Get("/accessibility", s.handleAccessibility)

	a.Get("/", s.requireUser, s.handleHome)                                                   // public contract
	a.Get("/api/dashboard", s.requireUser, s.handleAPIDashboard)                              // public contract
	a.Post("/api/push/subscriptions", s.requireUser, s.limitPushSubscribe, s.handleSubscribe) // public contract
	a.Delete("/api/push/subscriptions", s.requireUser, s.handleUnsubscribe)                   // public contract
	a.Post("/api/push/events", s.requireUser, s.handlePushEvent)
	a.Get("/settings", s.requireUser, s.handleSettings)
	a.Post("/settings/accounts/:source", s.requireUser, s.handleConnectAccount)
	a.Post("/settings/accounts/:source/delete", s.requireUser, s.handleDisconnectAccount)
	a.Post("/settings/reminders", s.requireUser, s.handleSaveReminders)
	a.Get("/settings/my-data", s.requireUser, s.handleMyData) // "Meine Daten" (Art. 15 DSGVO; person.go)

	// Announcements (public contract: /api/announcements*, /api/openapi.json; announce_*.go).
	a.Get("/api/openapi.json", s.handleOpenAPI)
	a.Use("/api/announcements", s.limitAPIToken)          // ratelimit.go
	a.Get("/api/announcements", s.handleAPIAnnouncements) // session: caller's view; token: all
	a.Get("/api/announcements/stream", s.requireUser, s.handleAnnouncementStream)
	a.Get("/api/announcements/:id", s.requireWriter, s.handleAPIGetAnnouncement)
	a.Post("/api/announcements", s.requireWriter, s.handleAPICreateAnnouncement)
	a.Patch("/api/announcements/:id", s.requireWriter, s.handleAPIUpdateAnnouncement)
	a.Delete("/api/announcements/:id", s.requireWriter, s.handleAPIWithdrawAnnouncement)
	a.Get("/announcements", s.requireUser, s.handleArchive)
	a.Post("/announcements/:id/ack", s.requireUser, s.handleAcknowledge)
	adm := a.Group("/admin", s.requireAdmin, s.asActor)
	adm.Get("/announcements", s.handleAdminAnnouncements)
	adm.Get("/announcements/new", s.handleAdminNew)
	adm.Post("/announcements/preview", s.handleAdminPreview)
	adm.Post("/announcements", s.handleAdminCreate)
	adm.Get("/announcements/:id", s.handleAdminDetail)
	adm.Get("/announcements/:id/edit", s.handleAdminEdit)
	adm.Get("/announcements/:id/report.csv", s.handleAdminReportCSV)
	adm.Get("/announcements/:id/push.json", s.handleAdminPushFigures)
	adm.Get("/push-health", s.handleAdminPushHealth)
	adm.Post("/announcements/:id", s.handleAdminUpdate)
	adm.Post("/announcements/:id/withdraw", s.handleAdminWithdraw)
	adm.Get("/audit", s.handleAdminAudit)
	adm.Get("/erase", s.handleAdminErasePage) // a person's erasure (Art. 17 DSGVO; person.go)
	adm.Post("/erase", s.handleAdminErase)
	a.Use(s.handleNotFound)
}
