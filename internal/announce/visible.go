package announce

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// VisibleTo reports whether a member of groups may see a at now: published,
// not withdrawn, not a draft and targeted to one of groups. Expired ones stay visible in
// the archive; Current leaves them out.
func (a *Announcement) VisibleTo(groups []string, now time.Time) bool {
	return a.WithdrawnAt == nil && !a.Draft && !now.Before(a.PublishAt) && a.Targets(groups)
}

// Current returns what a member of groups sees now: published, not expired,
// not withdrawn, targeted; critical and pinned first, then newest.
func (r *Repo) Current(ctx context.Context, groups []string, now time.Time) ([]*Announcement, error) {
	all, err := r.unexpired(ctx, now)
	if err != nil {
		return nil, err
	}
	return CurrentOf(all, groups, now), nil
}

// Unexpired returns every announcement not yet expired (scheduled ones
// too), for callers that cache the list and filter it with CurrentOf.
func (r *Repo) Unexpired(ctx context.Context, now time.Time) ([]*Announcement, error) {
	return r.unexpired(ctx, now)
}

// CurrentOf filters and orders all as Current does. It does not modify all
// (which may be shared), and returns a new slice.
func CurrentOf(all []*Announcement, groups []string, now time.Time) []*Announcement {
	out := make([]*Announcement, 0, len(all))
	for _, a := range all {
		if a.Status(now) == StatusLive && a.Targets(groups) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b *Announcement) int {
		if c := cmp.Compare(b.rank(), a.rank()); c != 0 {
			return c
		}
		if c := b.PublishAt.Compare(a.PublishAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Page is one page of the archive.
type Page struct {
	Items   []*Announcement
	Page    int // 1-based
	HasMore bool
}

// archiveScan is how many ids the archive reads from the store at a time.
const archiveScan = 100

// Archive returns page (1-based, size items) of everything a member of
// groups was ever shown, newest first, including expired announcements;
// query (case-insensitive, any language) narrows it.
func (r *Repo) Archive(ctx context.Context, groups []string, now time.Time, query string, page, size int) (Page, error) {
	if page < 1 {
		page = 1
	}
	query = strings.ToLower(strings.TrimSpace(query))
	skip := (page - 1) * size
	p := Page{Page: page}
	for offset := 0; ; offset += archiveScan {
		batch, err := r.published(ctx, now, offset, archiveScan)
		if err != nil {
			return p, err
		}
		for _, a := range batch {
			if !a.VisibleTo(groups, now) || !matches(a, query) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(p.Items) == size {
				p.HasMore = true
				return p, nil
			}
			p.Items = append(p.Items, a)
		}
		if len(batch) < archiveScan {
			return p, nil
		}
	}
}

func matches(a *Announcement, q string) bool {
	if q == "" {
		return true
	}
	hay := []string{a.Title, a.Body}
	for _, t := range a.Translations {
		hay = append(hay, t.Title, t.Body)
	}
	for _, h := range hay {
		if strings.Contains(strings.ToLower(h), q) {
			return true
		}
	}
	return false
}
