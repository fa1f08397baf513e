package notify

import (
	"context"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/i18n"
)

// Review is the summary an admin sees before publishing: who, what, when,
// and whether quiet hours hold the push back.
type Review struct {
	A          *announce.Announcement
	Est        announce.Estimate
	Known      string    // known groups, comma-separated (suggestions for unknown ones)
	Later      bool      // scheduled, not now
	QuietUntil time.Time // a non-critical push waits until then (zero: not quiet)
	QuietCrit  bool      // quiet hours now, but critical pushes go out anyway
}

// ReviewOf summarises a (not yet saved) with its estimate, the tenant's
// known groups and its quiet hours q in loc, as of now.
func ReviewOf(a *announce.Announcement, est announce.Estimate, known []string, q *config.QuietHours, loc *time.Location, now time.Time) *Review {
	r := &Review{A: a, Est: est, Known: strings.Join(known, ", "), Later: a.PublishAt.After(now)}
	if a.Push {
		at := a.PublishAt
		if !r.Later {
			at = now
		}
		if until := QuietUntil(q, at, loc); !until.IsZero() {
			r.QuietCrit = a.Severity == announce.SeverityCritical
			if !r.QuietCrit {
				r.QuietUntil = until
			}
		}
	}
	return r
}

// Segment is one outcome's part of the stacked push bar on the detail page
// (SVG units of 300).
type Segment struct {
	Key  string
	X, W int
}

// Segments lays the outcomes of Figures side by side in proportion to the
// targets; push-figures.js redraws the same segments live.
func Segments(fig map[string]int) []Segment {
	out := []Segment{}
	x := 0
	for _, k := range []string{"delivered", "retrying", "expired", "gone", "failed"} {
		w := 0
		if fig["targets"] > 0 {
			w = fig[k] * 300 / fig["targets"]
		}
		out = append(out, Segment{Key: k, X: x, W: w})
		x += w
	}
	return out
}

// Saved says what saving a did, for the page the admin lands on: a message
// key and its arguments in lang (dates in loc). A live push names how many
// devices it goes to, counted in devices.
func Saved(ctx context.Context, repo *announce.Repo, devices *Devices, a *announce.Announcement, now time.Time, lang string, loc *time.Location) (string, []any) {
	switch a.Status(now) {
	case announce.StatusDraft:
		return "ann.saved.draft", nil
	case announce.StatusScheduled:
		return "ann.saved.scheduled", []any{i18n.Day(lang, loc, a.PublishAt), i18n.Clock(loc, a.PublishAt)}
	case announce.StatusLive:
		if a.Push {
			if est, err := repo.Estimate(ctx, a, devices); err == nil {
				return "ann.saved.push", []any{i18n.Digits(lang, est.Devices)}
			}
		}
		return "ann.saved.published", nil
	}
	return "ann.saved", nil
}
