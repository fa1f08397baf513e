package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Records keep each signed-in session's sealed user a second time, outside
// Fiber's gob-encoded session map, under "usr:<session id>", with the key
// of the user's dashboard snapshot on the first line. A request then reads
// its user and its snapshot in one store round trip (store.GetLinked) and
// decodes no gob. The key is in clear as it already is in the store's key
// names; the user stays sealed.
//
// Fiber's session stays the authority: a record is read only while its
// session exists, so every way a session ends (logout, back-channel
// logout, erasure, expiry) ends its record's use with it.
type Records struct {
	Store      store.Store                 // tenant-scoped
	SessionKey func(id string) string      // the Fiber session of id (the guard)
	Link       func(subject string) string // the key read along: the user's snapshot
	TTL        time.Duration               // as long as sessions live
}

func recordKey(id string) string { return "usr:" + id }

// Save stores u, sealed, as session id's record.
func (r Records) Save(ctx context.Context, s *Sealer, id string, u *User) error {
	link := r.Link(u.Subject)
	sealed := s.Seal(encodeUser(u), recordAAD(u.Tenant))
	v := make([]byte, 0, len(link)+1+len(sealed))
	v = append(append(append(v, link...), '\n'), sealed...)
	if err := r.Store.Set(ctx, recordKey(id), v, r.TTL); err != nil {
		return fmt.Errorf("auth: save session record: %w", err)
	}
	return nil
}

// recordAAD binds a record to its tenant, apart from Fiber's session values.
func recordAAD(tenant string) []byte { return []byte("record:" + tenant) }

// Load opens session id's user of tenant and returns the value read along
// with it (the user's snapshot as stored; nil when absent). No user and no
// error: there is no usable record (the session ended, or began before
// records existed, or does not open), or the user's tokens are due for
// refresh at now; the caller reads Fiber's session, which handles both.
func (r Records) Load(ctx context.Context, s *Sealer, tenant, id string, now time.Time) (*User, []byte, error) {
	v, linked, err := store.GetLinked(ctx, r.Store, r.SessionKey(id), recordKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("auth: load session record: %w", err)
	}
	link, sealed, ok := bytes.Cut(v, []byte{'\n'})
	if !ok {
		return nil, nil, nil
	}
	u, err := openRecord(s, tenant, sealed)
	if err != nil || u.NeedsRefresh(now) {
		return nil, nil, nil
	}
	if string(link) != r.Link(u.Subject) {
		linked = nil // only ever the user's own snapshot
	}
	return u, linked, nil
}

func openRecord(s *Sealer, tenant string, sealed []byte) (*User, error) {
	plain, err := s.OpenInPlace(sealed, recordAAD(tenant)) // our own copy
	if err != nil {
		return nil, err
	}
	u, err := decodeUser(plain)
	if err != nil {
		return nil, err
	}
	if u.Tenant != tenant {
		return nil, fmt.Errorf("auth: session of tenant %q used on %q", u.Tenant, tenant)
	}
	return u, nil
}
