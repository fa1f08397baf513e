package announce

import (
	"context"
	"errors"
	"golang.org/x/sync/singleflight"
	"html/template"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/sse"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Ways an actor reaches the service (recorded for the log, not the audit
// entry, whose format is stored data).
const (
	ViaUI  = "ui"  // a signed-in IT admin in the admin pages
	ViaAPI = "api" // an API token: the REST API and the `pforte announce` CLI
)

// Actor is who changes announcements: Name is what the audit log shows
// (the admin's name and login, or "api:<token name>").
type Actor struct {
	Name   string
	Tenant string
	Via    string
}

var (
	// ErrWithdrawn refuses changing a withdrawn announcement.
	ErrWithdrawn = errors.New("the announcement was withdrawn")
	// ErrNoAck refuses acknowledging an announcement that asks for none.
	ErrNoAck = errors.New("this announcement needs no acknowledgement")
)

// Service is the announcement use cases: writing (validation, storage,
// audit entry and event in one place), acknowledging, and reading the
// current feed with its per-instance cache and live updates. Web handlers
// call it; so does everything else that changes announcements.
type Service struct {
	st     store.Store // the root store; each call scopes it to a tenant
	logger *slog.Logger
	now    func() time.Time
	md     *Renderer
	live   *liveHub
	lists  *annCache
	// reads lets the streams woken by one event share the read of its
	// announcement: with thousands of open tabs, one store GET instead of
	// one per stream. Only reads in flight are shared, nothing is kept.
	reads   singleflight.Group
	streams *streamLimiter // open event streams per user (stream_limit.go)
	hub     *sse.Hub       // the open event streams (stream.go)
	feeds   *streamFeeds
	ctx     context.Context
	cancel  context.CancelFunc
}

// NewService returns the service on st. Its live feeds run until Stop.
func NewService(st store.Store, logger *slog.Logger, now func() time.Time) *Service {
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{st: st, logger: logger, now: now, md: NewRenderer(), live: newLiveHub(ctx, st, logger),
		lists: newAnnCache(), streams: newStreamLimiter(), ctx: ctx, cancel: cancel,
		hub: sse.NewHub(ctx, sse.Options{Ping: StreamPing, Lifetime: StreamLifetime}), feeds: newStreamFeeds()}
}

// Stop ends the live feeds (and with them every open event stream); called
// first thing on shutdown, so streams do not hold it up.
func (s *Service) Stop() { s.cancel() }

// Context ends when Stop is called: open event streams run under it.
func (s *Service) Context() context.Context { return s.ctx }

// Repo is the tenant's repository.
func (s *Service) Repo(tenantID string) *Repo { return NewRepo(store.ForTenant(s.st, tenantID)) }

// HTML renders Markdown as sanitized HTML.
func (s *Service) HTML(src string) template.HTML { return s.md.HTML(src) }

// Create validates in, stores a new announcement, audits it and announces
// it at once when it is due now.
func (s *Service) Create(ctx context.Context, actor Actor, in Input) (*Announcement, error) {
	now := s.now()
	a := &Announcement{ID: NewID(), Tenant: actor.Tenant, Groups: []string{}}
	if err := Apply(a, in, true, now); err != nil {
		return nil, err
	}
	a.Author, a.CreatedAt, a.UpdatedAt = actor.Name, now, now
	repo := s.Repo(actor.Tenant)
	if err := repo.Save(ctx, a); err != nil {
		return nil, err
	}
	s.audit(ctx, repo, actor, "create", a)
	if _, err := repo.PublishDue(ctx, now); err != nil {
		s.logger.Warn("announce: publish", "tenant", a.Tenant, "err", err)
	}
	return a, nil
}

// Update applies a partial change (PATCH semantics).
func (s *Service) Update(ctx context.Context, actor Actor, id string, in Input) (*Announcement, error) {
	now := s.now()
	repo := s.Repo(actor.Tenant)
	a, err := repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.WithdrawnAt != nil {
		return nil, ErrWithdrawn
	}
	wasLive := a.Status(now) == StatusLive
	if err := Apply(a, in, false, now); err != nil {
		return nil, err
	}
	a.UpdatedAt = now
	if err := repo.Save(ctx, a); err != nil {
		return nil, err
	}
	s.audit(ctx, repo, actor, "update", a)
	if wasLive && a.Status(now) == StatusLive {
		if err := repo.Notify(ctx, EventUpdated, a); err != nil {
			s.logger.Warn("announce: notify", "tenant", a.Tenant, "err", err)
		}
	} else if wasLive {
		_ = repo.Notify(ctx, EventWithdrawn, a) // no longer live: take it off open pages
	}
	if _, err := repo.PublishDue(ctx, now); err != nil {
		s.logger.Warn("announce: publish", "tenant", a.Tenant, "err", err)
	}
	return a, nil
}

// Withdraw takes an announcement back everywhere; it stays in the admin
// list and the audit log.
func (s *Service) Withdraw(ctx context.Context, actor Actor, id string) (*Announcement, error) {
	now := s.now()
	repo := s.Repo(actor.Tenant)
	a, err := repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.WithdrawnAt != nil {
		return a, nil
	}
	a.WithdrawnAt, a.UpdatedAt = &now, now
	if err := repo.Save(ctx, a); err != nil {
		return nil, err
	}
	s.audit(ctx, repo, actor, "withdraw", a)
	if err := repo.Notify(ctx, EventWithdrawn, a); err != nil {
		s.logger.Warn("announce: notify", "tenant", a.Tenant, "err", err)
	}
	return a, nil
}

// Acknowledge records v's "Zur Kenntnis genommen" with its time, for an
// announcement v may see (else ErrNotFound) that asks for it (else ErrNoAck).
func (s *Service) Acknowledge(ctx context.Context, v Viewer, id string) (*Announcement, error) {
	repo := s.Repo(v.Tenant)
	a, err := repo.Get(ctx, id)
	if err != nil || !a.VisibleTo(v.Groups, s.now()) {
		return nil, ErrNotFound
	}
	if !a.RequiresAck {
		return nil, ErrNoAck
	}
	if err := repo.Acknowledge(ctx, a.ID, v.Subject, s.now()); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) audit(ctx context.Context, repo *Repo, actor Actor, action string, a *Announcement) {
	e := AuditEntry{At: s.now(), Tenant: a.Tenant, Actor: actor.Name, Action: action, ID: a.ID, Title: a.Title}
	if err := repo.Audit(ctx, e); err != nil {
		s.logger.Error("announce: audit entry lost", "tenant", a.Tenant, "action", action, "via", actor.Via, "err", err)
	}
}
