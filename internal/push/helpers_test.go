package push_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// newSender builds a Sender that trusts srv's certificate and records its
// backoff sleeps instead of sleeping.
func newSender(t *testing.T, srv *pushtest.Server, mod func(*push.Config)) (*push.Sender, *push.VAPIDKeys, *sleeps) {
	t.Helper()
	keys, err := push.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	sl := &sleeps{}
	cfg := push.Config{
		Keys:    keys,
		Subject: "it-support@example.org",
		Client:  srv.Client(),
		Sleep:   sl.sleep,
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := push.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, keys, sl
}

// sleeps records the waits Deliver asked for.
type sleeps struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.ds = append(s.ds, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// rejections fails the test with the fake service's reasons, if any.
func noRejections(t *testing.T, srv *pushtest.Server) {
	t.Helper()
	if r := srv.Rejections(); len(r) > 0 {
		t.Fatalf("push service refused requests: %+v", r)
	}
}
