// Package accounts keeps the app passwords employees enter once in
// Pforte's settings ("Konten verbinden") for sources configured with
// auth: password. They are sealed at rest with a key derived from
// secret_key and bound to tenant, user and source, and never shown again.
package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Sources that can have an app password.
var Sources = []string{"mail", "calendar", "files", "notifications"}

// Account is one connected source. Password never leaves the server.
type Account struct {
	Username    string    `json:"username"`
	Password    string    `json:"password"`
	ConnectedAt time.Time `json:"connected_at"`
}

// Store is a tenant's app passwords.
type Store struct {
	st     store.Store // tenant-scoped
	tenant string
	sealer *auth.Sealer
}

// New returns the app password store of one tenant.
func New(tenantStore store.Store, tenant string, sealer *auth.Sealer) *Store {
	return &Store{st: tenantStore, tenant: tenant, sealer: sealer}
}

func key(subject string) string { return "acct:" + subject }

func (s *Store) aad(subject, source string) []byte {
	return []byte("account:" + s.tenant + ":" + subject + ":" + source)
}

// ErrInvalid names a field the user must correct.
var ErrInvalid = errors.New("accounts: invalid")

// Connect stores (or replaces) the app password for source.
func (s *Store) Connect(ctx context.Context, subject, source string, a Account) error {
	if !known(source) {
		return fmt.Errorf("%w: source %q", ErrInvalid, source)
	}
	a.Username = strings.TrimSpace(a.Username)
	if a.Username == "" || len(a.Username) > 256 {
		return fmt.Errorf("%w: username", ErrInvalid)
	}
	if a.Password == "" || len(a.Password) > 1024 {
		return fmt.Errorf("%w: password", ErrInvalid)
	}
	raw, err := json.Marshal(a) // #nosec G117 -- sealed (encrypted) just below before it is stored
	if err != nil {
		return fmt.Errorf("accounts: marshal: %w", err)
	}
	if err := s.st.HSet(ctx, key(subject), source, s.sealer.Seal(raw, s.aad(subject, source))); err != nil {
		return fmt.Errorf("accounts: save: %w", err)
	}
	return nil
}

// Get returns the stored account, or ok=false when none is connected.
func (s *Store) Get(ctx context.Context, subject, source string) (Account, bool, error) {
	sealed, err := s.st.HGet(ctx, key(subject), source)
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, false, nil
	}
	if err != nil {
		return Account{}, false, fmt.Errorf("accounts: load: %w", err)
	}
	raw, err := s.sealer.Open(sealed, s.aad(subject, source))
	if err != nil {
		// Unreadable (secret_key changed): treat as not connected.
		return Account{}, false, nil
	}
	var a Account
	if err := json.Unmarshal(raw, &a); err != nil {
		return Account{}, false, nil
	}
	return a, true, nil
}

// Disconnect deletes the app password for source.
func (s *Store) Disconnect(ctx context.Context, subject, source string) error {
	if err := s.st.HDel(ctx, key(subject), source); err != nil {
		return fmt.Errorf("accounts: delete: %w", err)
	}
	return nil
}

func known(source string) bool {
	for _, s := range Sources {
		if s == source {
			return true
		}
	}
	return false
}
