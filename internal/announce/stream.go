package announce

import (
	"encoding/json"
	"net"
	"sync"
	"time"
)

// Timings of the live event streams.
const (
	// StreamLifetime ends each stream well before a proxy's read timeout
	// (often 60 s); the browser reconnects and the page fetches what it missed.
	StreamLifetime = 25 * time.Second
	// StreamPing keeps an idle stream alive through proxies and lets the
	// instance notice a closed tab.
	StreamPing = 10 * time.Second
)

// streamFeeds counts the open event streams per tenant, so the tenant's
// event feed runs while at least one stream listens.
type streamFeeds struct {
	mu    sync.Mutex
	count map[string]int
	stop  map[string]func()
}

func newStreamFeeds() *streamFeeds {
	return &streamFeeds{count: map[string]int{}, stop: map[string]func(){}}
}

// OpenStream keeps conn, taken over from the HTTP server after head (the
// response headers) was prepared, as v's live announcement stream: every
// event of v's tenant that v may see is written to it as a Server-Sent
// Event. release runs when the stream ends (see AcquireStream). On an
// error conn is closed and release has not run.
func (s *Service) OpenStream(conn net.Conn, head []byte, v Viewer, release func()) error {
	if err := s.follow(v.Tenant); err != nil {
		_ = conn.Close()
		return err
	}
	err := s.hub.Open(v.Tenant, conn, head, v, func() {
		release()
		s.unfollow(v.Tenant)
	})
	if err != nil {
		s.unfollow(v.Tenant)
	}
	return err
}

// follow counts one more stream of tenantID, starting its event feed for
// the first: one goroutine per tenant writes each event to its streams.
func (s *Service) follow(tenantID string) error {
	f := s.feeds
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count[tenantID] == 0 {
		events, stop, err := s.live.listen(tenantID)
		if err != nil {
			return err
		}
		f.stop[tenantID] = stop
		go func() {
			for ev := range events {
				s.hub.Broadcast(tenantID, s.streamEvent(tenantID, ev))
			}
		}()
	}
	f.count[tenantID]++
	return nil
}

func (s *Service) unfollow(tenantID string) {
	f := s.feeds
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count[tenantID]--; f.count[tenantID] > 0 {
		return
	}
	delete(f.count, tenantID)
	if stop := f.stop[tenantID]; stop != nil {
		stop()
	}
	delete(f.stop, tenantID)
}

// eventKey is what an event's bytes depend on besides the announcement.
type eventKey struct {
	lang    string
	acked   int64
	removed bool
}

// streamEvent is ev as each stream's viewer sees it: an "announcement"
// event for a new or changed announcement, "removed" for a withdrawn or
// expired one, nothing when the viewer may not see it. The announcement is
// read once per event, and streams that see the same item share its bytes.
func (s *Service) streamEvent(tenantID string, ev Event) func(data any) []byte {
	var (
		once sync.Once
		a    *Announcement
		err  error
		mu   sync.Mutex
		memo = map[eventKey][]byte{}
	)
	repo := s.Repo(tenantID)
	return func(data any) []byte {
		v := data.(Viewer)
		once.Do(func() { a, err = repo.Get(s.ctx, ev.ID) })
		if err != nil {
			return nil
		}
		acked, show, removed := s.eventView(s.ctx, repo, a, v, ev)
		if !show {
			return nil
		}
		key := eventKey{lang: v.Lang, removed: removed}
		if !acked.IsZero() {
			key.acked = acked.UnixNano()
		}
		if removed {
			key = eventKey{removed: true}
		}
		mu.Lock()
		defer mu.Unlock()
		if b, ok := memo[key]; ok {
			return b
		}
		var b []byte
		if removed {
			raw, _ := json.Marshal(map[string]string{"id": a.ID})
			b = []byte("event: removed\ndata: " + string(raw) + "\n\n")
		} else {
			raw, _ := json.Marshal(s.ItemOf(a, v.Lang, acked))
			b = []byte("event: announcement\nid: " + a.ID + "\ndata: " + string(raw) + "\n\n")
		}
		memo[key] = b
		return b
	}
}
