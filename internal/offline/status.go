package offline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Reason is why a kept token was deleted.
type Reason string

// The reasons. Refused and LogoutEverywhere are recorded for the settings
// page ("reminders stopped because …"); the others leave no trace.
const (
	OptOut           Reason = "opt-out"           // the user turned reminders off
	LogoutEverywhere Reason = "logout-everywhere" // the provider logged the user out of every session
	Refused          Reason = "refused"           // the provider answered invalid_grant
	Erasure          Reason = "erasure"           // the person's data was erased (Art. 17 DSGVO)
)

// stopTTL is how long the settings page can say why reminders stopped.
const stopTTL = 90 * 24 * time.Hour

func stopKey(subject string) string { return "offline:stop:" + subject }

// stop is the recorded end of background access (no token in it).
type stop struct {
	Reason Reason    `json:"reason"`
	Detail string    `json:"detail,omitempty"` // the provider's OAuth error code
	At     time.Time `json:"at"`
}

// Drop deletes subject's kept token from the tenant store ts and records
// why when the user should be told. It needs no key: logout and erasure
// call it with the tenant's store.
func Drop(ctx context.Context, ts store.Store, subject string, reason Reason, detail string, now time.Time) error {
	if err := ts.Delete(ctx, grantKey(subject), stopKey(subject)); err != nil {
		return fmt.Errorf("offline: forget: %w", err)
	}
	if reason != Refused && reason != LogoutEverywhere {
		return nil
	}
	raw, _ := json.Marshal(stop{Reason: reason, Detail: detail, At: now})
	if err := ts.Set(ctx, stopKey(subject), raw, stopTTL); err != nil {
		return fmt.Errorf("offline: forget: %w", err)
	}
	return nil
}

// State is what the settings page shows about background access.
type State struct {
	Kept bool // a refresh token is kept
	// Stopped is why the last kept token was deleted ("" when none was, or
	// the user turned reminders off), with the provider's error code and when.
	Stopped Reason
	Detail  string
	At      time.Time
}

// String is the state in plain English for logs and the API:
// "kept", "off" or "stopped: …".
func (s State) String() string {
	switch {
	case s.Kept:
		return "kept"
	case s.Stopped == Refused:
		return fmt.Sprintf("stopped: the sign-in provider no longer accepts Pforte's access (%s)", s.Detail)
	case s.Stopped == LogoutEverywhere:
		return "stopped: you were logged out everywhere"
	default:
		return "off"
	}
}

// Status tells whether a token is kept for subject, or why it was deleted.
func (a *Access) Status(ctx context.Context, tenant, subject string) (State, error) {
	if _, err := a.load(ctx, tenant, subject); err == nil {
		return State{Kept: true}, nil
	} else if !errors.Is(err, ErrNotKept) {
		return State{}, err
	}
	raw, err := store.ForTenant(a.st, tenant).Get(ctx, stopKey(subject))
	if errors.Is(err, store.ErrNotFound) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("offline: status: %w", err)
	}
	var s stop
	if err := json.Unmarshal(raw, &s); err != nil {
		return State{}, nil
	}
	return State{Stopped: s.Reason, Detail: s.Detail, At: s.At}, nil
}

// Kept tells from the tenant store ts, without opening anything, whether a
// refresh token is kept for subject ("Meine Daten" says so, never the token).
func Kept(ctx context.Context, ts store.Store, subject string) (bool, error) {
	_, err := ts.Get(ctx, grantKey(subject))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("offline: kept: %w", err)
	}
	return true, nil
}
