package announce

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// KnownUser is a person Pforte has seen sign in. "Targeted" counts these:
// Pforte cannot list a directory's members, so an announcement's audience is
// the users of its groups who signed in at least once.
type KnownUser struct {
	Subject  string    `json:"-"`
	Name     string    `json:"name"`
	Groups   []string  `json:"groups"`
	LastSeen time.Time `json:"last_seen"`
}

// SeeUser records (or refreshes) a known user; call it at sign-in.
func (r *Repo) SeeUser(ctx context.Context, subject, name string, groups []string, now time.Time) error {
	raw, err := json.Marshal(KnownUser{Name: name, Groups: groups, LastSeen: now.UTC()})
	if err != nil {
		return fmt.Errorf("announce: marshal user: %w", err)
	}
	if err := r.st.HSet(ctx, keyUsers, subject, raw); err != nil {
		return fmt.Errorf("announce: see user: %w", err)
	}
	return nil
}

// Users returns every known user, sorted by name. The list is read in
// pages: at 100,000 users one HGETALL reply outgrew the store's I/O timeout
// and a push to everyone could not be planned.
func (r *Repo) Users(ctx context.Context) ([]KnownUser, error) {
	out := []KnownUser{}
	err := r.st.HScan(ctx, keyUsers, func(sub string, v []byte) error {
		var u KnownUser
		if json.Unmarshal(v, &u) == nil {
			u.Subject = sub
			out = append(out, u)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("announce: users: %w", err)
	}
	slices.SortFunc(out, func(a, b KnownUser) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		if a.Subject < b.Subject {
			return -1
		}
		return 1
	})
	return out, nil
}
