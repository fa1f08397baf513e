package reminders

import (
	"context"
	"errors"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// maxLead is the longest lead time: what a plan must look ahead beyond
// the next plan.
const maxLead = 15 * time.Minute

// takeAndPlan reads one person's meetings and schedules the reminders
// until their next plan.
func (s *Scheduler) takeAndPlan(ctx context.Context, t Tenant, st store.Store, subject string, free func()) Stats {
	score, ok := s.take(ctx, st, planKey, subject)
	if !ok {
		return Stats{}
	}
	p, err := NewPrefs(st).Get(ctx, subject)
	if err != nil {
		s.logger().Warn("reminders: plan", "tenant", t.ID, "err", err)
		return Stats{}
	}
	if !p.Enabled {
		done(ctx, st, planKey, subject, score)
		return Stats{}
	}
	now := s.now()
	ms, fresh, err := s.meetings(ctx, t, st, subject, p, true)
	var stats Stats
	if err == nil {
		stats = s.apply(ctx, t, st, subject, p, ms, fresh, now, free)
	}
	stats.Planned++
	// The next plan: a lost entry would stop this person's reminders, so
	// it is only moved, never removed while they are opted in. Without a
	// background credential (no request is sent then) it looks again in a
	// minute for the copy of an open dashboard; after an outage in five.
	next := s.planEvery()
	if errors.Is(err, ErrNoCredential) {
		next = time.Minute
	} else if err != nil {
		next = min(next, 5*time.Minute)
	}
	if err := st.ZAdd(ctx, planKey, subject, float64(now.Add(next).Unix())); err != nil {
		s.logger().Warn("reminders: plan next", "tenant", t.ID, "err", err)
	}
	return stats
}

// takeAndCheck re-reads the calendar shortly before a reminder: the
// meeting still there at that time is reminded of; one moved is
// scheduled at its new time; one deleted is not.
func (s *Scheduler) takeAndCheck(ctx context.Context, t Tenant, st store.Store, member string, free func()) Stats {
	score, ok := s.take(ctx, st, dueKey, member)
	if !ok {
		return Stats{}
	}
	subject, occ, start, ok := parseDue(member)
	now := s.now()
	if !ok || !start.After(now) {
		done(ctx, st, dueKey, member, score)
		return Stats{}
	}
	if sentAlready(ctx, st, occ) {
		done(ctx, st, dueKey, member, score)
		return Stats{}
	}
	p, err := NewPrefs(st).Get(ctx, subject)
	if err != nil {
		return Stats{} // the lease runs out; retried
	}
	if !p.Enabled {
		done(ctx, st, dueKey, member, score)
		return Stats{}
	}
	ms, _, err := s.meetings(ctx, t, st, subject, p, false)
	if err != nil {
		// Tried again in a minute while the meeting has not begun.
		_ = st.ZAdd(ctx, dueKey, member, float64(now.Add(time.Minute).Unix()))
		return Stats{Checked: 1}
	}
	stats := s.apply(ctx, t, st, subject, p, ms, true, now, free)
	stats.Checked++
	// Removed only now, and not when a reminder must be tried again: an
	// instance that dies before the push went out leaves the entry, which
	// comes due again when its lease runs out.
	if stats.Retried == 0 {
		done(ctx, st, dueKey, member, score)
	}
	return stats
}

// apply schedules the reminders of ms that fall before the next plan
// (and a little beyond) and sends those due now. fresh: ms were read from
// the calendar just now; otherwise a due reminder is checked first. free
// gives up the caller's worker slot before waiting for a reminder's time.
func (s *Scheduler) apply(ctx context.Context, t Tenant, st store.Store, subject string, p Prefs, ms []Meeting, fresh bool, now time.Time, free func()) Stats {
	var stats Stats
	horizon := now.Add(s.planEvery() + maxLead + time.Minute)
	for _, m := range ms {
		if m.AllDay || !p.Wants(m.JoinURL != "") || !m.Start.After(now) {
			continue
		}
		at, ok := sendTime(m.Start, p.LeadTime(), t.Push.QuietHours, t.Location)
		if !ok || at.After(horizon) {
			continue
		}
		occ := occurrenceID(subject, m)
		due := !at.After(now.Add(s.early()))
		if due && fresh {
			n, err := s.send(ctx, t, st, subject, occ, p, m, at, free)
			if err == nil {
				if n >= 0 {
					stats.Sent++
					stats.Delivered += n
				}
				continue
			}
			if !errors.Is(err, errBusy) {
				s.logger().Warn("reminders: send", "tenant", t.ID, "err", err)
			}
			// Not sent (shutting down, a store error, or another instance
			// holds it): looked at again once the sending claim ran out.
			stats.Retried++
			at = now.Add(s.lease())
			if err := st.ZAdd(context.WithoutCancel(ctx), dueKey, dueMember(subject, occ, m.Start), float64(at.Unix())); err != nil {
				s.logger().Warn("reminders: schedule", "tenant", t.ID, "err", err)
			}
			continue
		}
		if _, err := st.Get(ctx, sentKey(occ)); err == nil {
			continue
		}
		if due {
			at = now // from the cached copy: checked against the calendar first
		}
		if err := st.ZAdd(ctx, dueKey, dueMember(subject, occ, m.Start), float64(at.Unix())); err != nil {
			s.logger().Warn("reminders: schedule", "tenant", t.ID, "err", err)
		}
	}
	return stats
}

// meetings are the person's meetings: the dashboard's cached copy while
// it is fresh (when allowed), else read from the calendar with their
// background credential. fresh reports the latter (or, without a background
// credential, a copy the person's open dashboard just read). Why a read failed is
// kept in their settings for the settings page.
func (s *Scheduler) meetings(ctx context.Context, t Tenant, st store.Store, subject string, p Prefs, cached bool) ([]Meeting, bool, error) {
	if cached && s.Snapshots != nil {
		if snap, ok := s.Snapshots.Fresh(ctx, t.ID, subject); ok && snap.Calendar.Status == dashboard.StatusOK {
			return fromSnapshot(snap.Calendar.Events), false, nil
		}
	}
	cred, err := s.Creds.Background(ctx, t.ID, subject, p.Username, p.Claims)
	if errors.Is(err, ErrNoCredential) && s.Snapshots != nil {
		// No way to read the calendar in the background: while the person
		// has Pforte open, the dashboard's copy (at most its cache_ttl old)
		// is read with their session and stands in for the calendar.
		if snap, ok := s.Snapshots.Fresh(ctx, t.ID, subject); ok && snap.Calendar.Status == dashboard.StatusOK {
			return fromSnapshot(snap.Calendar.Events), true, nil
		}
	}
	var evs []Meeting
	if err == nil {
		var raw, ferr = t.Calendar.Fetch(ctx, cred, s.now())
		evs, err = fromCalendar(raw), ferr
	}
	s.noteStopped(ctx, st, subject, p, err)
	if err != nil {
		return nil, false, err
	}
	return evs, true, nil
}

// noteStopped records in the person's settings why reminders cannot be
// sent (or that they work again).
func (s *Scheduler) noteStopped(ctx context.Context, st store.Store, subject string, p Prefs, err error) {
	reason := ""
	var ue *upstream.Error
	switch {
	case errors.Is(err, ErrNoCredential), errors.As(err, &ue) && ue.Kind == upstream.KindNotSetUp:
		reason = ReasonNoCredential // e.g. a calendar URL's claim the setting does not hold
	case errors.As(err, &ue) && ue.Kind == upstream.KindAuth:
		reason = ReasonRefused
	case err != nil:
		return // an outage: the next read may work
	}
	if reason == p.Stopped {
		return
	}
	if perr := NewPrefs(st).SetStopped(ctx, subject, reason); perr != nil {
		s.logger().Warn("reminders: note why reminders stopped", "err", perr)
	}
}
