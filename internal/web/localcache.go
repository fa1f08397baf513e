package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/invalidate"
)

// Local caches keep what every request of a signed-in user needs — the
// opened session and the dashboard snapshot — in this instance's memory for
// a few seconds, so a warm request needs no store round trip. Whatever
// changes them (logout, back-channel logout, token refresh, a connected
// account) drops the entry here and tells the other instances through the
// store's pub/sub (invalidate.Bus); the short TTL bounds staleness if a
// message is lost. The session layer is auth.UserCache, the snapshot layer
// dashboard.Snapshots.
const (
	localUserTTL = 15 * time.Second
	localEntries = 20000
)

// sessionCookie is this request's session id as sent by the browser.
func (s *Server) sessionCookie(c *fiber.Ctx) string {
	if loopback(c.Hostname()) {
		return c.Cookies("pforte")
	}
	return c.Cookies("__Host-pforte")
}

// forget drops a cached session ("u") or snapshot ("d") here and on every
// instance.
func (s *Server) forget(ctx context.Context, kind, tenant, id string) {
	s.bus.Forget(ctx, kind, tenant+"/"+id)
}

// newBus says how each kind of local cache drops a key (invalidate.Bus).
func (s *Server) newBus() *invalidate.Bus {
	return invalidate.New(s.Store, s.Logger, map[string]func(string){
		"u": s.users.Remove,
		"d": s.Dashboard.DropLocal,
	})
}
