package records

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Erased counts what Erase deleted.
type Erased struct {
	Receipts     int `json:"receipts"`
	Devices      int `json:"devices"`
	AppPasswords int `json:"app_passwords"`
	Sessions     int `json:"sessions"`
	// SessionIDs are the ended sessions, for callers that cache sessions.
	SessionIDs []string `json:"-"`
}

// Pseudonym names a person in the audit log without keeping the subject:
// whoever knows the subject can check that its erasure was logged.
func Pseudonym(tenant, subject string) string {
	sum := sha256.Sum256([]byte(tenant + "\x00" + subject))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// Erase deletes a person's data in a tenant (Art. 17 DSGVO): read,
// acknowledgement and push receipts, the sign-in profile, push devices,
// app passwords, meeting reminder settings, the cached dashboard, the refresh token kept for meeting
// reminders (internal/offline) and every session (signed out at once). What stays is one
// audit entry that the erasure happened, naming the person only by
// Pseudonym, and the announcements and audit entries an admin wrote under
// their own name (kept for accountability, Art. 17(3)(b) DSGVO).
func Erase(ctx context.Context, ts store.Store, tenant, subject, actor string, now time.Time) (Erased, error) {
	var e Erased
	for _, prefix := range append(append([]string{}, personHashes...), perPerson...) {
		keys := []string{prefix}
		if !slices.Contains(personHashes, prefix) {
			var err error
			if keys, err = ts.Keys(ctx, prefix); err != nil {
				return e, fmt.Errorf("records: erase: %w", err)
			}
		}
		for _, k := range keys {
			if _, err := ts.HGet(ctx, k, subject); errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return e, fmt.Errorf("records: erase: %w", err)
			}
			if err := ts.HDel(ctx, k, subject); err != nil {
				return e, fmt.Errorf("records: erase: %w", err)
			}
			if !slices.Contains(personHashes, prefix) {
				e.Receipts++
			}
		}
	}
	devs, err := ts.HLen(ctx, "push:dev:"+subject)
	if err != nil {
		return e, fmt.Errorf("records: erase: %w", err)
	}
	accts, err := ts.HLen(ctx, "acct:"+subject)
	if err != nil {
		return e, fmt.Errorf("records: erase: %w", err)
	}
	e.Devices, e.AppPasswords = int(devs), int(accts)
	if err := ts.HDel(ctx, "push:users", subject); err != nil {
		return e, fmt.Errorf("records: erase: %w", err)
	}
	// nav:menu: is the central-navigation cache (navigation.MenuKey).
	if err := ts.Delete(ctx, "push:dev:"+subject, "acct:"+subject, "dash:"+subject, "nav:menu:"+subject); err != nil {
		return e, fmt.Errorf("records: erase: %w", err)
	}
	// xchg: are the person's exchanged tokens (internal/exchange), one per audience.
	if xk, err := ts.Keys(ctx, "xchg:"+subject+":"); err != nil {
		return e, fmt.Errorf("records: erase: %w", err)
	} else if len(xk) > 0 {
		if err := ts.Delete(ctx, xk...); err != nil {
			return e, fmt.Errorf("records: erase: %w", err)
		}
	}
	if err := offline.Drop(ctx, ts, subject, offline.Erasure, "", now); err != nil { // reminders' refresh token
		return e, err
	}
	if e.SessionIDs, err = endSessions(ctx, ts, subject); err != nil {
		return e, err
	}
	e.Sessions = len(e.SessionIDs)
	err = announce.NewRepo(ts).Audit(ctx, announce.AuditEntry{At: now, Tenant: tenant, Actor: actor, Action: "erase",
		Title: fmt.Sprintf("personal data of %s erased: %d receipts, %d devices, %d app passwords, %d sessions",
			Pseudonym(tenant, subject), e.Receipts, e.Devices, e.AppPasswords, e.Sessions)})
	if err != nil {
		return e, fmt.Errorf("records: erase: %w", err)
	}
	return e, nil
}

// personHashes are single hashes with one field per person.
var personHashes = []string{"ann:users", "push:lastshown", "rem:prefs", "rem:status"}

// endOfTime is later than any session's start.
var endOfTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// endSessions signs the person out everywhere and removes their session
// ids from the provider-session index too.
func endSessions(ctx context.Context, ts store.Store, subject string) ([]string, error) {
	// Every session, whenever it began: an erasure is not a logout token.
	ended, err := auth.Index{Store: ts, SessionKey: func(id string) string { return "sess:" + id }}.EndSessions(ctx, subject, "", endOfTime)
	if err != nil || len(ended) == 0 {
		return nil, err
	}
	ids := make([]string, len(ended))
	for i, e := range ended {
		ids[i] = e.ID
	}
	sidKeys, err := ts.Keys(ctx, "sessidx:sid:")
	if err != nil {
		return nil, fmt.Errorf("records: erase: %w", err)
	}
	for _, k := range sidKeys {
		if err := ts.HDel(ctx, k, ids...); err != nil {
			return nil, fmt.Errorf("records: erase: %w", err)
		}
	}
	return ids, nil
}
