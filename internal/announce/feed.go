package announce

import (
	"context"
	"sync"
	"time"
)

// annListTTL bounds how long a tenant's announcement list is kept in this
// instance's memory; every announcement event (published, updated,
// withdrawn, expired — on any instance) drops it at once.
const annListTTL = 30 * time.Second

// annCache keeps each tenant's unexpired announcements in memory, so the
// dashboard does not read them from the store on every request. It is
// only used while this instance is subscribed to the tenant's events.
type annCache struct {
	mu       sync.Mutex
	byTenant map[string]*annList
}

type annList struct {
	list     []*Announcement // shared: read-only
	at       time.Time
	gen      int // counts events, so a list read before one is never kept after it
	watching bool
}

func newAnnCache() *annCache { return &annCache{byTenant: map[string]*annList{}} }

// unexpired returns the tenant's unexpired announcements from memory when a
// watched copy is young enough, else from the store.
func (s *Service) unexpired(ctx context.Context, tenantID string, repo *Repo, now time.Time) ([]*Announcement, error) {
	c := s.lists
	c.mu.Lock()
	e := c.byTenant[tenantID]
	if e != nil && e.list != nil && now.Sub(e.at) < annListTTL {
		list := e.list
		c.mu.Unlock()
		return list, nil
	}
	watching := e != nil && e.watching
	c.mu.Unlock()
	if !watching && !s.watch(tenantID) {
		return repo.Unexpired(ctx, now) // no event feed: never trust a copy
	}
	c.mu.Lock()
	gen := -1
	if e := c.byTenant[tenantID]; e != nil {
		gen = e.gen
	}
	c.mu.Unlock()
	list, err := repo.Unexpired(ctx, now)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if e := c.byTenant[tenantID]; e != nil && e.watching && e.gen == gen {
		e.list, e.at = list, now
	}
	c.mu.Unlock()
	return list, nil
}

// watch subscribes to the tenant's events; each event drops the cached
// list. It reports whether the subscription is running.
func (s *Service) watch(tenantID string) bool {
	events, stop, err := s.live.listen(tenantID)
	if err != nil {
		return false
	}
	c := s.lists
	c.mu.Lock()
	if e := c.byTenant[tenantID]; e != nil && e.watching {
		c.mu.Unlock()
		stop() // another request started watching first
		return true
	}
	c.byTenant[tenantID] = &annList{watching: true}
	c.mu.Unlock()
	go func() {
		for range events {
			c.mu.Lock()
			if e := c.byTenant[tenantID]; e != nil {
				e.list = nil
				e.gen++
			}
			c.mu.Unlock()
		}
		// The feed ended (shutdown or a lost subscription): stop trusting copies.
		c.mu.Lock()
		delete(c.byTenant, tenantID)
		c.mu.Unlock()
	}()
	return true
}
