package dashboard

import "context"

// Fresh returns the user's snapshot when this instance's memory or the
// store holds one that is still fresh, and never fetches: background work
// (meeting reminders) reuses what the dashboard read anyway, and asks the
// upstream itself only when there is nothing fresh.
func (s *Snapshots) Fresh(ctx context.Context, tenantID, subject string) (Snapshot, bool) {
	now := s.now()
	cached, ok := s.local.Get(LocalKey(tenantID, subject))
	if !ok || s.bypass || !now.Before(cached.FreshTo) {
		if cached, ok = s.cache.fresh(ctx, s.tenantStore(tenantID), snapshotKey(subject), now); !ok {
			return Snapshot{}, false
		}
	}
	snap, err := cached.Snapshot()
	return snap, err == nil
}
