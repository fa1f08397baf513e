package web

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/hashicorp/golang-lru/v2/expirable"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
)

// Local caches keep what every request of a signed-in user needs — the
// opened session and the dashboard snapshot — in this instance's memory for
// a few seconds, so a warm request needs no store round trip. Whatever
// changes them (logout, back-channel logout, token refresh, a connected
// account) drops the entry here and tells the other instances through the
// store's pub/sub; the short TTL bounds staleness if a message is lost
// (pub/sub is at-most-once, e.g. across a Redis restart).
const (
	localUserTTL  = 15 * time.Second
	localEntries  = 20000
	invalidations = "pforte:local-invalidate" // not tenant-scoped: keys carry the tenant
)

// (The snapshot layer is dashboard.Snapshots; its key is dashboard.LocalKey.)
type localCaches struct {
	users *expirable.LRU[string, *auth.User] // tenant/session id
	// bypass makes every lookup miss (measuring the store path only).
	bypass bool
}

func newLocalCaches(bypass bool) *localCaches {
	return &localCaches{users: expirable.NewLRU[string, *auth.User](localEntries, nil, localUserTTL), bypass: bypass}
}

// sessionCookie is this request's session id as sent by the browser.
func (s *Server) sessionCookie(c *fiber.Ctx) string {
	if loopback(c.Hostname()) {
		return c.Cookies("pforte")
	}
	return c.Cookies("__Host-pforte")
}

// forget drops a cached session or snapshot here and on every instance.
func (s *Server) forget(ctx context.Context, kind, tenant, id string) {
	key := tenant + "/" + id
	s.dropLocal(kind, key)
	if err := s.Store.Publish(ctx, invalidations, []byte(kind+"|"+key)); err != nil {
		s.Logger.Warn("publish cache invalidation", "err", err)
	}
}

func (s *Server) dropLocal(kind, key string) {
	switch kind {
	case "u":
		s.local.users.Remove(key)
	case "d":
		s.Dashboard.DropLocal(key)
	}
}

// listenInvalidations applies other instances' invalidations until ctx ends.
func (s *Server) listenInvalidations(ctx context.Context) {
	msgs, cancel, err := s.Store.Subscribe(ctx, invalidations)
	if err != nil {
		s.Logger.Warn("subscribe to cache invalidations: local caches only expire", "err", err)
		return
	}
	go func() {
		defer cancel()
		for m := range msgs {
			kind, key, ok := strings.Cut(string(m), "|")
			if ok {
				s.dropLocal(kind, key)
			}
		}
	}()
}
