package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// announceState is what the announcement handlers share: the Markdown
// renderer and the live feed. Its context ends when the server shuts down,
// which ends every open event stream so shutdown is not held up.
type announceState struct {
	md      *announce.Renderer
	live    *liveHub
	streams *streamLimiter // open event streams per user
	reads   eventReads     // one announcement read per event, shared by the streams
	ctx     context.Context
	cancel  context.CancelFunc
}

func newAnnounceState(st store.Store, logger *slog.Logger) *announceState {
	ctx, cancel := context.WithCancel(context.Background())
	return &announceState{md: announce.NewRenderer(), live: newLiveHub(ctx, st, logger),
		streams: newStreamLimiter(), ctx: ctx, cancel: cancel}
}

// stop ends the live streams; called first thing on shutdown.
func (a *announceState) stop() { a.cancel() }

// announcements is the repository of this request's tenant.
func (s *Server) announcements(c *fiber.Ctx) *announce.Repo {
	return announce.NewRepo(s.tenantStore(c))
}

// announceErr maps domain errors to HTTP: a field mistake is a 400 naming
// the field, an unknown id a 404.
func announceErr(err error) error {
	var fe *announce.FieldError
	switch {
	case errors.As(err, &fe):
		return fiber.NewError(fiber.StatusBadRequest, fe.Error())
	case errors.Is(err, announce.ErrNotFound):
		return fiber.NewError(fiber.StatusNotFound, "no such announcement")
	}
	return err
}
