// Package announce is the announcement domain: IT writes, targets, schedules
// and withdraws announcements; employees read and acknowledge them. It keeps
// everything in a tenant-scoped store.Store and announces each publication on
// the tenant's pub/sub channel (Channel), where the live view and the push
// worker listen.
package announce

import (
	"slices"
	"time"
)

// Severities, from least to most urgent.
const (
	SeverityInfo     = "info"
	SeverityWarning  = "warning"
	SeverityCritical = "critical"
)

// Statuses an announcement goes through (derived from its times).
const (
	StatusScheduled = "scheduled"
	StatusLive      = "live"
	StatusExpired   = "expired"
	StatusWithdrawn = "withdrawn"
	// StatusDraft is saved but not published: nobody sees it, nothing is sent.
	StatusDraft = "draft"
)

// Text is an announcement's title and Markdown body in one language.
type Text struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Announcement is one message from IT. Title and Body are German (required);
// Translations holds other languages ("en").
type Announcement struct {
	ID           string          `json:"id"`
	Tenant       string          `json:"tenant"`
	Title        string          `json:"title"`
	Body         string          `json:"body"`
	Translations map[string]Text `json:"translations,omitempty"`
	Severity     string          `json:"severity"`
	Pinned       bool            `json:"pinned"`
	// Groups limits who sees it; empty means the whole tenant.
	Groups      []string   `json:"groups"`
	PublishAt   time.Time  `json:"publish_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	RequiresAck bool       `json:"requires_ack"`
	// Push asks the push worker to deliver it as a web push when published.
	Push        bool       `json:"push"`
	Author      string     `json:"author"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	// Draft keeps it unpublished until an author publishes it.
	Draft bool `json:"draft,omitempty"`
}

// Status is where a is at now.
func (a *Announcement) Status(now time.Time) string {
	switch {
	case a.WithdrawnAt != nil:
		return StatusWithdrawn
	case a.Draft:
		return StatusDraft
	case now.Before(a.PublishAt):
		return StatusScheduled
	case a.ExpiresAt != nil && !now.Before(*a.ExpiresAt):
		return StatusExpired
	}
	return StatusLive
}

// Targets reports whether a member of groups is among the audience.
func (a *Announcement) Targets(groups []string) bool {
	if len(a.Groups) == 0 {
		return true
	}
	for _, g := range a.Groups {
		if slices.Contains(groups, g) {
			return true
		}
	}
	return false
}

// In returns the text in lang, falling back to German.
func (a *Announcement) In(lang string) Text {
	if t, ok := a.Translations[lang]; ok && t.Title != "" {
		if t.Body == "" {
			t.Body = a.Body
		}
		return t
	}
	return Text{Title: a.Title, Body: a.Body}
}

// rank orders the current list: critical first, then pinned, then warnings.
func (a *Announcement) rank() int {
	r := 0
	if a.Severity == SeverityCritical {
		r += 4
	}
	if a.Pinned {
		r += 2
	}
	if a.Severity == SeverityWarning {
		r++
	}
	return r
}
