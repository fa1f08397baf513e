package web

import (
	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// snapshotPurpose names the key that seals cached dashboards: mail senders
// and subjects, meeting titles and places and file names are personal
// data and never stored in clear (they were plain JSON for ~24 h).
const snapshotPurpose = "dashboard snapshot v1"

// newSnapshotSealer derives the snapshot key from secret_key.
func newSnapshotSealer(secret string) (*auth.Sealer, error) {
	return auth.NewSealer(secret, snapshotPurpose)
}

// snapshotStore is where this request's tenant keeps dashboard snapshots:
// its store, sealing every snapshot bound to tenant and key.
func (s *Server) snapshotStore(c *fiber.Ctx) store.Store {
	return store.Sealed(s.tenantStore(c), s.snapSealer, "dash:"+tenantOf(c).ID)
}

// dropSnapshot deletes subject's cached dashboard here, in the store and on
// every instance: called on every kind of logout.
func (s *Server) dropSnapshot(c *fiber.Ctx, subject string) {
	if err := s.DashCache.Invalidate(c.UserContext(), s.tenantStore(c), "dash:"+subject); err != nil {
		s.Logger.Warn("drop dashboard snapshot", "err", err)
	}
	s.forget(c.UserContext(), "d", tenantOf(c).ID, subject)
}
