package announce

import (
	"context"
	"html/template"
	"time"
)

// Item is an announcement in one employee's view and language: the
// dashboard's announcements and GET /api/announcements for a signed-in
// user (public contract: extend, never rename or drop fields).
type Item struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	Severity    string     `json:"severity"`
	PublishedAt time.Time  `json:"published_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	// Extensions: the body as sanitized HTML (rendered from Markdown),
	// ordering and acknowledgement state.
	BodyHTML       template.HTML `json:"body_html"`
	Pinned         bool          `json:"pinned"`
	RequiresAck    bool          `json:"requires_ack"`
	AcknowledgedAt *time.Time    `json:"acknowledged_at"`
}

// Viewer is the employee who reads: their tenant, subject, groups and
// language.
type Viewer struct {
	Tenant  string
	Subject string
	Groups  []string
	Lang    string
}

// ItemOf is a in lang, with the time it was acknowledged (zero: not yet).
func (s *Service) ItemOf(a *Announcement, lang string, acked time.Time) Item {
	txt := a.In(lang)
	it := Item{ID: a.ID, Title: txt.Title, Body: txt.Body, BodyHTML: s.md.HTML(txt.Body), Severity: a.Severity,
		Pinned: a.Pinned, PublishedAt: a.PublishAt, ExpiresAt: a.ExpiresAt, RequiresAck: a.RequiresAck}
	if !acked.IsZero() {
		it.AcknowledgedAt = &acked
	}
	return it
}

// Current is what v sees now, in v's language. The tenant's list comes
// from this instance's memory while its event feed runs.
func (s *Service) Current(ctx context.Context, v Viewer) ([]Item, error) {
	repo := s.Repo(v.Tenant)
	now := s.now()
	all, err := s.unexpired(ctx, v.Tenant, repo, now)
	if err != nil {
		return nil, err
	}
	cur := CurrentOf(all, v.Groups, now)
	out := make([]Item, 0, len(cur))
	for _, a := range cur {
		var acked time.Time
		if a.RequiresAck {
			if acked, err = repo.AckedAt(ctx, a.ID, v.Subject); err != nil {
				return nil, err
			}
		}
		out = append(out, s.ItemOf(a, v.Lang, acked))
	}
	return out, nil
}

// OnDashboard is what v sees on the dashboard now; with markRead (the
// rendered page, not a background fetch of the JSON) showing them counts as
// read. It is filled per request (not cached with the sources), so a new
// announcement shows at once.
func (s *Service) OnDashboard(ctx context.Context, v Viewer, markRead bool) ([]Item, error) {
	items, err := s.Current(ctx, v)
	if err != nil || !markRead {
		return items, err
	}
	repo := s.Repo(v.Tenant)
	for _, it := range items {
		if err := repo.MarkRead(ctx, it.ID, v.Subject, s.now()); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// SeeUser records a signed-in user for the "targeted" figures.
func (s *Service) SeeUser(ctx context.Context, v Viewer, name string) {
	if err := s.Repo(v.Tenant).SeeUser(ctx, v.Subject, name, v.Groups, s.now()); err != nil {
		s.logger.Warn("announce: record user", "tenant", v.Tenant, "err", err)
	}
}

// Listen delivers the tenant's events published after it returns, until
// stop is called or the service stops (then the channel is closed).
func (s *Service) Listen(tenantID string) (<-chan Event, func(), error) {
	return s.live.listen(tenantID)
}

// ForEvent is what ev means to v: the item to show (removed false) or the
// id to take off the page (removed true); ok is false when v may not see it.
func (s *Service) ForEvent(ctx context.Context, v Viewer, ev Event) (it Item, removed, ok bool) {
	repo := s.Repo(v.Tenant)
	shared, err, _ := s.reads.Do(v.Tenant+"\x00"+ev.Type+"\x00"+ev.ID, func() (any, error) {
		return repo.Get(ctx, ev.ID)
	})
	if err != nil {
		return Item{}, false, false
	}
	a := shared.(*Announcement)
	acked, show, removed := s.eventView(ctx, repo, a, v, ev)
	switch {
	case !show:
		return Item{}, false, false
	case removed:
		return Item{ID: a.ID}, true, true
	}
	return s.ItemOf(a, v.Lang, acked), false, true
}

// eventView decides what ev about a means to v: whether v sees it at all
// (show), whether it leaves the page (removed), and when v acknowledged it.
func (s *Service) eventView(ctx context.Context, repo *Repo, a *Announcement, v Viewer, ev Event) (acked time.Time, show, removed bool) {
	if !a.Targets(v.Groups) {
		return acked, false, false
	}
	switch ev.Type {
	case EventPublished, EventUpdated:
		if a.Status(s.now()) != StatusLive {
			return acked, false, false
		}
		if a.RequiresAck {
			acked, _ = repo.AckedAt(ctx, a.ID, v.Subject)
		}
		return acked, true, false
	case EventWithdrawn, EventExpired:
		return acked, true, true
	}
	return acked, false, false
}

// ArchiveView is one page of the archive in v's view.
type ArchiveView struct {
	Items   []Item
	Expired map[string]bool // by id
	Page    int             // 1-based
	HasMore bool
}

// Archive is everything v was ever shown, newest first, paged and
// searchable; showing it counts as read.
func (s *Service) Archive(ctx context.Context, v Viewer, query string, page, size int) (ArchiveView, error) {
	repo := s.Repo(v.Tenant)
	now := s.now()
	p, err := repo.Archive(ctx, v.Groups, now, query, page, size)
	if err != nil {
		return ArchiveView{}, err
	}
	out := ArchiveView{Page: p.Page, HasMore: p.HasMore, Expired: map[string]bool{}}
	for _, a := range p.Items {
		var acked time.Time
		if a.RequiresAck {
			if acked, err = repo.AckedAt(ctx, a.ID, v.Subject); err != nil {
				return ArchiveView{}, err
			}
		}
		if err := repo.MarkRead(ctx, a.ID, v.Subject, now); err != nil {
			return ArchiveView{}, err
		}
		out.Items = append(out.Items, s.ItemOf(a, v.Lang, acked))
		out.Expired[a.ID] = a.Status(now) == StatusExpired
	}
	return out, nil
}
