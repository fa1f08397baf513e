package store

import (
	"context"
	"errors"
	"time"
)

// Sealer encrypts values at rest and opens them again (auth.Sealer is one).
type Sealer interface {
	Seal(plain, aad []byte) []byte
	Open(sealed, aad []byte) ([]byte, error)
}

// Sealed is st with every value written by Set sealed and opened by Get,
// bound to aad and its key, so a value copied to another key or tenant
// does not open. Only Get and Set seal: use it for plain key/value records
// (the per-user dashboard snapshot), not for hashes, sets or counters.
func Sealed(st Store, s Sealer, aad string) Store { return sealedStore{Store: st, s: s, aad: aad} }

type sealedStore struct {
	Store
	s   Sealer
	aad string
}

func (st sealedStore) bind(key string) []byte { return []byte(st.aad + "|" + key) }

// Get opens the stored value. One that does not open (written before
// sealing, or under another secret_key) counts as absent: a cache refills.
func (st sealedStore) Get(ctx context.Context, key string) ([]byte, error) {
	raw, err := st.Store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	return OpenSealed(st.s, st.aad, key, raw)
}

// OpenSealed opens raw, a value that Sealed(…, s, aad) stored under key and
// that was read past it (GetLinked); like Get, one that does not open is
// ErrNotFound. raw is the caller's own copy: a Sealer that can decrypt in
// place (auth.Sealer) overwrites it.
func OpenSealed(s Sealer, aad, key string, raw []byte) ([]byte, error) {
	open := s.Open
	if o, ok := s.(interface {
		OpenInPlace(sealed, aad []byte) ([]byte, error)
	}); ok {
		open = o.OpenInPlace
	}
	plain, err := open(raw, []byte(aad+"|"+key))
	if err != nil {
		return nil, errors.Join(ErrNotFound, err)
	}
	return plain, nil
}

// Set seals value before it is stored.
func (st sealedStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return st.Store.Set(ctx, key, st.s.Seal(value, st.bind(key)), ttl)
}
