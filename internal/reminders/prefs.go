// Package reminders sends "Besprechung in 10 Min." pushes before a person's
// meetings: their opt-in (Prefs), the durable schedule every instance works
// on (Scheduler), the re-check against the calendar shortly before sending,
// and the push itself with a Join action.
package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Scopes: which meetings get a reminder.
const (
	ScopeVideo = "video" // only meetings with a video link (the default)
	ScopeAll   = "all"
)

// Leads are the lead times a person may choose, in minutes.
var Leads = []int{5, 10, 15}

// DefaultLead is the lead time the form offers first.
const DefaultLead = 10

// Prefs is one person's reminder setting. Off unless they turned it on.
type Prefs struct {
	Enabled bool   `json:"enabled"`
	Lead    int    `json:"lead"`  // minutes before the start
	Scope   string `json:"scope"` // ScopeVideo or ScopeAll
	// Username is the person's login at the time they opted in: the
	// calendar URL's {user} and the credential lookup need it when they
	// have no session.
	Username string `json:"username"`
	// Claims are the sign-in claims the tenant's source URLs name
	// ({claim:NAME}, e.g. openDesk's opendesk_objectid in the calendar
	// URL), as of the last time they saved the setting; the session keeps
	// no others, and neither does this.
	Claims  map[string]string `json:"claims,omitempty"`
	Lang    string            `json:"lang"` // language of the notification text
	Updated time.Time         `json:"updated"`
	// Stopped says why reminders could not be sent lately (a Reason*
	// code, shown in settings); empty when they work. It is kept apart
	// (statusKey), so the scheduler never writes the person's choice.
	Stopped string `json:"-"`
}

// Reasons why reminders stopped (settings shows them in the person's language).
const (
	ReasonNoCredential = "no_credential" // #nosec G101 -- a reason code: no background credential and no live session
	ReasonRefused      = "refused"       // the calendar refused the credential
)

// LeadTime is Lead as a duration (DefaultLead when unset).
func (p Prefs) LeadTime() time.Duration {
	if p.Lead <= 0 {
		return DefaultLead * time.Minute
	}
	return time.Duration(p.Lead) * time.Minute
}

// Wants reports whether a meeting gets a reminder under p's scope.
func (p Prefs) Wants(hasJoinLink bool) bool { return p.Scope == ScopeAll || hasJoinLink }

// prefsKey is one hash for the tenant: subject → Prefs. It is a personal
// record (records.kinds: exported, copied for "Meine Daten", erased).
const prefsKey = "rem:prefs"

// statusKey is a hash subject → why reminders stopped (a personal record too).
const statusKey = "rem:status"

// Prefs reads and writes the settings of one tenant's people.
type PrefsStore struct {
	st store.Store // tenant-scoped
}

// NewPrefs returns the settings store over a tenant's store.
func NewPrefs(tenantStore store.Store) *PrefsStore { return &PrefsStore{st: tenantStore} }

// Get returns subject's settings; off when they never chose.
func (s *PrefsStore) Get(ctx context.Context, subject string) (Prefs, error) {
	raw, err := s.st.HGet(ctx, prefsKey, subject)
	if errors.Is(err, store.ErrNotFound) {
		return Prefs{Lead: DefaultLead, Scope: ScopeVideo}, nil
	} else if err != nil {
		return Prefs{}, fmt.Errorf("reminders: read settings: %w", err)
	}
	var p Prefs
	if err := json.Unmarshal(raw, &p); err != nil {
		return Prefs{}, fmt.Errorf("reminders: read settings: %w", err)
	}
	if why, err := s.st.HGet(ctx, statusKey, subject); err == nil {
		p.Stopped = string(why)
	}
	return p, nil
}

// SetStopped records why reminders stopped ("" : they work).
func (s *PrefsStore) SetStopped(ctx context.Context, subject, reason string) error {
	var err error
	if reason == "" {
		err = s.st.HDel(ctx, statusKey, subject)
	} else {
		err = s.st.HSet(ctx, statusKey, subject, []byte(reason))
	}
	if err != nil {
		return fmt.Errorf("reminders: note status: %w", err)
	}
	return nil
}

// Put stores subject's settings; turning them off deletes the record.
func (s *PrefsStore) Put(ctx context.Context, subject string, p Prefs) error {
	if !p.Enabled {
		if err := s.st.HDel(ctx, statusKey, subject); err != nil {
			return fmt.Errorf("reminders: delete settings: %w", err)
		}
		if err := s.st.HDel(ctx, prefsKey, subject); err != nil {
			return fmt.Errorf("reminders: delete settings: %w", err)
		}
		return nil
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("reminders: encode settings: %w", err)
	}
	if err := s.st.HSet(ctx, prefsKey, subject, raw); err != nil {
		return fmt.Errorf("reminders: save settings: %w", err)
	}
	return nil
}

// All returns every opted-in person's settings by subject, read in pages
// (one field per person: a large tenant's hash is too big for one reply).
func (s *PrefsStore) All(ctx context.Context) (map[string]Prefs, error) {
	out := map[string]Prefs{}
	err := s.st.HScan(ctx, prefsKey, func(subject string, raw []byte) error {
		var p Prefs
		if json.Unmarshal(raw, &p) == nil && p.Enabled {
			out[subject] = p
		}
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("reminders: list settings: %w", err)
	}
	return out, nil
}
