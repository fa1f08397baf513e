package auth

import (
	"context"
	"fmt"
	"strconv"
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
	began := []byte(strconv.FormatInt(u.SignedInAt.Unix(), 10))
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

// Remove forgets session id of u (after logout).
func (x Index) Remove(ctx context.Context, id string, u *User) error {
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

// EndSessions deletes every session matching the logout claims: by sid
// when given (that one provider session), else every session of sub —
// except sessions that began after issuedAt, which the token cannot mean.
// It returns the ids of the sessions it ended.
func (x Index) EndSessions(ctx context.Context, sub, sid string, issuedAt time.Time) ([]string, error) {
	key := subKey(sub)
	if sid != "" {
		key = sidKey(sid)
	}
	found, err := x.Store.HGetAll(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("auth: find sessions: %w", err)
	}
	var keys, ids []string
	for id, began := range found {
		if at, err := strconv.ParseInt(string(began), 10, 64); err == nil && at > issuedAt.Unix() {
			continue
		}
		keys = append(keys, x.SessionKey(id))
		ids = append(ids, id)
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
	return ids, nil
}
