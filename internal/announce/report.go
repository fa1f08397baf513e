package announce

import (
	"context"
	"slices"
	"time"
)

// Recipient is one targeted user with their read and acknowledgement times
// (zero: not yet).
type Recipient struct {
	KnownUser
	ReadAt  time.Time
	AckedAt time.Time
}

// GroupFigures counts one target group's recipients.
type GroupFigures struct {
	Group                 string
	Targeted, Read, Acked int
	Recipients            []Recipient
}

// Report is the per-announcement tracking: targeted = known users (see
// KnownUser) in its audience; read and acknowledged among them.
type Report struct {
	Targeted, Read, Acked int
	Groups                []GroupFigures // one per target group; one "" group for the whole tenant
}

// Report computes the figures of a.
func (r *Repo) Report(ctx context.Context, a *Announcement) (Report, error) {
	var rep Report
	users, err := r.Users(ctx)
	if err != nil {
		return rep, err
	}
	reads, err := r.Reads(ctx, a.ID)
	if err != nil {
		return rep, err
	}
	acks, err := r.Acks(ctx, a.ID)
	if err != nil {
		return rep, err
	}
	groups := a.Groups
	if len(groups) == 0 {
		groups = []string{""}
	}
	for _, g := range groups {
		rep.Groups = append(rep.Groups, GroupFigures{Group: g})
	}
	for _, u := range users {
		if !a.Targets(u.Groups) {
			continue
		}
		rc := Recipient{KnownUser: u, ReadAt: reads[u.Subject], AckedAt: acks[u.Subject]}
		rep.Targeted++
		if !rc.ReadAt.IsZero() {
			rep.Read++
		}
		if !rc.AckedAt.IsZero() {
			rep.Acked++
		}
		for i := range rep.Groups {
			gf := &rep.Groups[i]
			if gf.Group != "" && !slices.Contains(u.Groups, gf.Group) {
				continue
			}
			gf.Targeted++
			if !rc.ReadAt.IsZero() {
				gf.Read++
			}
			if !rc.AckedAt.IsZero() {
				gf.Acked++
			}
			gf.Recipients = append(gf.Recipients, rc)
		}
	}
	return rep, nil
}

// Row is one line of the admin list: an announcement, its status and its
// figures.
type Row struct {
	A      *Announcement
	Status string
	Rep    Report
}

// Overview lists every announcement of the tenant with its status as of
// now and its figures.
func (r *Repo) Overview(ctx context.Context, now time.Time) ([]Row, error) {
	all, err := r.All(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(all))
	for _, a := range all {
		rep, err := r.Report(ctx, a)
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{A: a, Status: a.Status(now), Rep: rep})
	}
	return rows, nil
}

// WithReport loads the announcement id and its figures.
func (r *Repo) WithReport(ctx context.Context, id string) (*Announcement, Report, error) {
	a, err := r.Get(ctx, id)
	if err != nil {
		return nil, Report{}, err
	}
	rep, err := r.Report(ctx, a)
	return a, rep, err
}
