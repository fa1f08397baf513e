package auth

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Index finds a tenant's sessions by subject and provider session id, so a
// back-channel logout can end every session of a user. It works on the
// tenant's store prefix; SessionKey must match where sessions are stored.
type Index struct {
	Store      store.Store         // tenant-scoped
	SessionKey func(string) string // session id -> store key of the session
	TTL        time.Duration       // index entries live as long as sessions
}

func subKey(sub string) string { return "sessidx:sub:" + sub }
func sidKey(sid string) string { return "sessidx:sid:" + sid }

// Add records that session id belongs to u, with when it began (a logout
// token issued before that must not end it).
func (x Index) Add(ctx context.Context, id string, u *User) error {
	keys := []string{subKey(u.Subject)}
	if u.SID != "" {
		keys = append(keys, sidKey(u.SID))
	}
	began := []byte(strconv.FormatInt(u.SignedInAt.Unix(), 10) + " " + u.Subject)
	for _, k := range keys {
		if err := x.Store.HSet(ctx, k, id, began); err != nil {
			return fmt.Errorf("auth: index session: %w", err)
		}
		if err := x.Store.Expire(ctx, k, x.TTL); err != nil {
			return fmt.Errorf("auth: index session: %w", err)
		}
	}
	return nil
}

// Remove forgets session id of u (after logout), and drops its record.
func (x Index) Remove(ctx context.Context, id string, u *User) error {
	if err := x.Store.Delete(ctx, recordKey(id)); err != nil { // its session has ended
		return fmt.Errorf("auth: unindex session: %w", err)
	}
	if err := x.Store.HDel(ctx, subKey(u.Subject), id); err != nil {
		return fmt.Errorf("auth: unindex session: %w", err)
	}
	if u.SID != "" {
		if err := x.Store.HDel(ctx, sidKey(u.SID), id); err != nil {
			return fmt.Errorf("auth: unindex session: %w", err)
		}
	}
	return nil
}

// Ended is a session a back-channel logout ended, with its user's subject
// (a logout token may name only the sid).
type Ended struct {
	ID      string
	Subject string
}

// EndSessions deletes every session matching the logout claims: by sid
// when given (that one provider session), else every session of sub —
// except sessions that began after issuedAt, which the token cannot mean.
// It returns the sessions it ended.
func (x Index) EndSessions(ctx context.Context, sub, sid string, issuedAt time.Time) ([]Ended, error) {
	key := subKey(sub)
	if sid != "" {
		key = sidKey(sid)
	}
	found, err := x.Store.HGetAll(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("auth: find sessions: %w", err)
	}
	var keys, ids []string
	var ended []Ended
	for id, v := range found {
		began, subject, _ := strings.Cut(string(v), " ")
		if at, err := strconv.ParseInt(began, 10, 64); err == nil && at > issuedAt.Unix() {
			continue
		}
		if subject == "" {
			subject = sub
		}
		keys = append(keys, x.SessionKey(id), recordKey(id)) // the record holds the user too (Records)
		ids = append(ids, id)
		ended = append(ended, Ended{ID: id, Subject: subject})
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := x.Store.Delete(ctx, keys...); err != nil {
		return nil, fmt.Errorf("auth: end sessions: %w", err)
	}
	if err := x.Store.HDel(ctx, key, ids...); err != nil {
		return nil, fmt.Errorf("auth: end sessions: %w", err)
	}
	return ended, nil
}

// LogOut ends the sessions a verified logout token names, once per token:
// replayed reports a token seen before, and nothing ends again.
func (x Index) LogOut(ctx context.Context, c *LogoutClaims, now time.Time) (ended []Ended, replayed bool, err error) {
	first, err := c.FirstUse(ctx, x.Store, now)
	if err != nil || !first {
		return nil, err == nil, err
	}
	ended, err = x.EndSessions(ctx, c.Subject, c.SID, c.IssuedAt.Time())
	return ended, false, err
}
