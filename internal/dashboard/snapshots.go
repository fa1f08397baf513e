package dashboard

import (
	"context"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Per-instance snapshot layer: a warm request needs no store round trip.
// Whatever changes a snapshot (a connected account) drops it here and, via
// the caller's invalidation message, on the other instances; the short TTL
// bounds staleness if a message is lost (pub/sub is at-most-once).
const (
	localSnapTTL = time.Minute // and never past the snapshot's freshness
	localEntries = 20000
)

// Snapshots is the per-user snapshot service: an in-memory layer on this
// instance over the shared Cache in the store, filled from the tenant's
// sources.
type Snapshots struct {
	cache   *Cache
	sources map[string]Sources // by tenant id
	timeout time.Duration      // per source
	st      store.Store        // root store; scoped per tenant
	sealer  store.Sealer       // seals snapshots at rest (personal data)
	now     func() time.Time
	local   *expirable.LRU[string, Cached] // tenant/subject
	// bypass makes the in-memory layer miss (measuring the store path only).
	bypass bool
}

// BypassLocal makes every in-memory lookup miss, so each request reads the
// store: for measuring the store path only (PFORTE_MEASURE_BYPASS_LOCAL_CACHES).
func (s *Snapshots) BypassLocal() { s.bypass = true }

// NewSnapshots returns the service over cache and the tenants' sources,
// each source bounded by timeout. Snapshots hold mail senders and
// subjects, meeting titles and file names: sealer seals them in the store,
// bound to tenant and key.
func NewSnapshots(cache *Cache, sources map[string]Sources, timeout time.Duration, st store.Store, sealer store.Sealer, now func() time.Time) *Snapshots {
	return &Snapshots{cache: cache, sources: sources, timeout: timeout, st: st, sealer: sealer, now: now,
		local: expirable.NewLRU[string, Cached](localEntries, nil, localSnapTTL)}
}

// tenantStore is where tenantID keeps snapshots: its prefix, sealed.
func (s *Snapshots) tenantStore(tenantID string) store.Store {
	return store.Sealed(store.ForTenant(s.st, tenantID), s.sealer, sealAAD(tenantID))
}

// sealAAD binds sealed snapshots to their tenant.
func sealAAD(tenantID string) string { return "dash:" + tenantID }

func snapshotKey(subject string) string { return "dash:" + subject }

// SnapshotKey is where a user's snapshot is, in the tenant's store: a
// session record links to it (auth.Records), so both are read at once.
func SnapshotKey(subject string) string { return snapshotKey(subject) }

// LocalKey names a user's snapshot in the in-memory layer (and in
// invalidation messages).
func LocalKey(tenantID, subject string) string { return tenantID + "/" + subject }

// Get returns the user's snapshot (still encoded) from memory or the
// store, building it from the tenant's sources when needed.
func (s *Snapshots) Get(ctx context.Context, tenantID, subject string, user User, creds CredentialFunc) (Cached, error) {
	return s.GetWith(ctx, tenantID, subject, user, creds, nil)
}

// GetWith is Get when the store's value of the snapshot has been read
// already, as stored (sealed), along with the session (auth.Records): then
// it is not read again. nil: read it here.
func (s *Snapshots) GetWith(ctx context.Context, tenantID, subject string, user User, creds CredentialFunc, stored []byte) (Cached, error) {
	now := s.now()
	localKey := LocalKey(tenantID, subject)
	if cached, ok := s.local.Get(localKey); ok && !s.bypass && now.Before(cached.FreshTo) {
		return cached, nil
	}
	src := s.sources[tenantID]
	req := Request{User: user, Creds: creds}
	build := func(ctx context.Context) Snapshot {
		req.Now = s.now()
		return Build(ctx, src, s.timeout, req)
	}
	st, key := s.tenantStore(tenantID), snapshotKey(subject)
	var cached Cached
	var err error
	if stored != nil {
		plain, openErr := store.OpenSealed(s.sealer, sealAAD(tenantID), key, stored)
		cached, err = s.cache.serve(ctx, st, key, now, plain, openErr, build)
	} else {
		cached, err = s.cache.Get(ctx, st, key, now, build)
	}
	if err == nil && now.Before(cached.FreshTo) {
		s.local.Add(localKey, cached)
	}
	return cached, err
}

// Invalidate drops the user's snapshot from the store and this instance's
// memory, so the next request fetches again. Other instances drop theirs
// on the caller's message (DropLocal).
func (s *Snapshots) Invalidate(ctx context.Context, tenantID, subject string) error {
	s.local.Remove(LocalKey(tenantID, subject))
	return s.cache.Invalidate(ctx, s.tenantStore(tenantID), snapshotKey(subject))
}

// DropLocal forgets a snapshot in this instance's memory only.
func (s *Snapshots) DropLocal(localKey string) { s.local.Remove(localKey) }

// Try signs in to one of tenantID's sources with cred once (Sources.Try),
// bounded by the source timeout: an app password is checked before it is
// stored.
func (s *Snapshots) Try(ctx context.Context, tenantID, source string, cred upstream.Credential) error {
	return s.sources[tenantID].Try(ctx, source, cred, s.now(), s.timeout)
}
