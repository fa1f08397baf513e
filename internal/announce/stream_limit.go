package announce

import "sync"

// MaxStreamsPerUser bounds one account's open announcement streams on an
// instance: more tabs and devices than a person keeps open, few enough
// that one runaway script cannot hold thousands of connections.
const MaxStreamsPerUser = 20

// streamLimiter counts open event streams per tenant and user.
type streamLimiter struct {
	mu   sync.Mutex
	open map[string]int
}

func newStreamLimiter() *streamLimiter { return &streamLimiter{open: map[string]int{}} }

// acquire counts one more stream for key, or answers false when the key
// already has MaxStreamsPerUser. release is safe to call more than once.
func (l *streamLimiter) acquire(key string) (release func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= MaxStreamsPerUser {
		return nil, false
	}
	l.open[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.open[key]--; l.open[key] <= 0 {
				delete(l.open, key)
			}
		})
	}, true
}

// AcquireStream counts one more open event stream of subject in tenantID
// on this instance, or answers false when they already have
// MaxStreamsPerUser. release is safe to call more than once.
func (s *Service) AcquireStream(tenantID, subject string) (release func(), ok bool) {
	return s.streams.acquire(tenantID + "\x00" + subject)
}
