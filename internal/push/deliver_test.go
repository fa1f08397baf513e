package push_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

// deliver runs Deliver and collects the reports by target ID.
func deliver(t *testing.T, ctx context.Context, s *push.Sender, targets []push.Target, workers int) (map[string]push.Result, error) {
	t.Helper()
	got := map[string]push.Result{}
	err := s.Deliver(ctx, targets, []byte(`{"title":"Wartung"}`), push.Options{TTL: time.Hour}, workers, func(tg push.Target, r push.Result) {
		if _, dup := got[tg.ID]; dup {
			t.Errorf("target %s reported twice", tg.ID)
		}
		got[tg.ID] = r
	})
	return got, err
}

func TestDeliverOutcomes(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, sl := newSender(t, srv, func(c *push.Config) { c.MaxAttempts = 4; c.BaseDelay = time.Second })
	sub := func() push.Subscription { return srv.NewSubscription(keys.PublicKey()) }
	ok, gone, notFound, limited, broken, bad := sub(), sub(), sub(), sub(), sub(), sub()
	srv.Answer(gone, http.StatusGone, 1, "")
	srv.Answer(notFound, http.StatusNotFound, 1, "")
	srv.Answer(limited, http.StatusTooManyRequests, 2, "7")
	srv.Answer(broken, http.StatusInternalServerError, -1, "")
	srv.Answer(bad, http.StatusBadRequest, 1, "")
	targets := []push.Target{{"ok", ok}, {"gone", gone}, {"notfound", notFound}, {"limited", limited}, {"broken", broken}, {"bad", bad}}

	got, err := deliver(t, context.Background(), s, targets, 1)
	if err != nil {
		t.Fatal(err)
	}
	noRejections(t, srv)
	want := map[string]struct {
		outcome  push.Outcome
		gone     bool
		attempts int
	}{
		"ok":       {push.OutcomeDelivered, false, 1},
		"gone":     {push.OutcomeGone, true, 1},
		"notfound": {push.OutcomeGone, true, 1},
		"limited":  {push.OutcomeDelivered, false, 3},
		"broken":   {push.OutcomeFailed, false, 4},
		"bad":      {push.OutcomeFailed, false, 1},
	}
	for id, w := range want {
		r, ok := got[id]
		if !ok {
			t.Errorf("%s: not reported", id)
			continue
		}
		if r.Outcome != w.outcome || r.Gone != w.gone || r.Attempts != w.attempts {
			t.Errorf("%s: outcome %v gone %v attempts %d, want %v %v %d (%v)", id, r.Outcome, r.Gone, r.Attempts, w.outcome, w.gone, w.attempts, r.Err)
		}
	}
	if n := srv.Attempts(broken); n != 4 {
		t.Errorf("500 subscription was tried %d times, want 4", n)
	}
	if m := srv.Messages(limited); len(m) != 1 {
		t.Errorf("rate-limited subscription received %d messages, want 1", len(m))
	}
	// With one worker the sleeps are in order: 429 twice (Retry-After 7 s
	// beats the 1 s and 2 s backoff), then 500 three times (1, 2, 4 s).
	wantSleeps := []time.Duration{7 * time.Second, 7 * time.Second, time.Second, 2 * time.Second, 4 * time.Second}
	if got := sl.all(); !slices.Equal(got, wantSleeps) {
		t.Errorf("sleeps %v, want %v", got, wantSleeps)
	}
}

func TestDeliverRetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)
	srv := pushtest.New(pushtest.Options{Now: func() time.Time { return now }})
	t.Cleanup(srv.Close)
	s, keys, sl := newSender(t, srv, func(c *push.Config) { c.Now = func() time.Time { return now } })
	sub := srv.NewSubscription(keys.PublicKey())
	srv.Answer(sub, http.StatusServiceUnavailable, 1, now.Add(90*time.Second).Format(http.TimeFormat))
	got, _ := deliver(t, context.Background(), s, []push.Target{{"a", sub}}, 1)
	if got["a"].Outcome != push.OutcomeDelivered {
		t.Fatalf("result %+v", got["a"])
	}
	if d := sl.all(); !slices.Equal(d, []time.Duration{90 * time.Second}) {
		t.Fatalf("sleeps %v, want [1m30s]", d)
	}
}

func TestDeliverGivesUpOnRetryAfterBeyondMaxDelay(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, sl := newSender(t, srv, func(c *push.Config) { c.MaxDelay = time.Minute })
	sub := srv.NewSubscription(keys.PublicKey())
	srv.Answer(sub, http.StatusTooManyRequests, 1, "3600")
	got, _ := deliver(t, context.Background(), s, []push.Target{{"a", sub}}, 1)
	if r := got["a"]; r.Outcome != push.OutcomeFailed || r.Status != 429 || r.RetryAfter != time.Hour {
		t.Fatalf("result %+v", r)
	}
	if len(sl.all()) != 0 {
		t.Fatalf("slept %v although the service asked for an hour", sl.all())
	}
}

func TestDeliverConcurrent(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, _ := newSender(t, srv, nil)
	var targets []push.Target
	for i := range 300 {
		sub := srv.NewSubscription(keys.PublicKey())
		if i%10 == 0 {
			srv.Answer(sub, http.StatusGone, 1, "")
		}
		if i%7 == 0 {
			srv.Answer(sub, http.StatusInternalServerError, 1, "")
		}
		targets = append(targets, push.Target{ID: fmt.Sprint(i), Sub: sub})
	}
	got, err := deliver(t, context.Background(), s, targets, 16)
	if err != nil {
		t.Fatal(err)
	}
	noRejections(t, srv)
	if len(got) != len(targets) {
		t.Fatalf("%d reports for %d targets", len(got), len(targets))
	}
	for i, tg := range targets {
		r := got[tg.ID]
		wantGone := i%10 == 0 // the 410 comes first where a 500 is programmed too
		if r.Gone != wantGone {
			t.Errorf("target %d: gone %v, want %v", i, r.Gone, wantGone)
		}
		if !wantGone && (r.Outcome != push.OutcomeDelivered || len(srv.Messages(tg.Sub)) != 1) {
			t.Errorf("target %d: %+v, %d messages", i, r, len(srv.Messages(tg.Sub)))
		}
	}
}

func TestDeliverCancelStopsAndReports(t *testing.T) {
	srv := pushtest.NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sleeping atomic.Int32
	s, keys, _ := newSender(t, srv, func(c *push.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			if sleeping.Add(1) == 2 {
				cancel() // the second worker to back off cancels the run
			}
			<-ctx.Done()
			return ctx.Err()
		}
	})
	var targets []push.Target
	for i := range 50 {
		sub := srv.NewSubscription(keys.PublicKey())
		srv.Answer(sub, http.StatusServiceUnavailable, -1, "")
		targets = append(targets, push.Target{ID: fmt.Sprint(i), Sub: sub})
	}
	got, err := deliver(t, ctx, s, targets, 4)
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(got) == 0 || len(got) > 4 {
		t.Fatalf("%d targets reported; want the few in flight at cancel time", len(got))
	}
	for id, r := range got {
		if r.Outcome != push.OutcomeFailed || r.Gone {
			t.Errorf("target %s: %+v", id, r)
		}
	}
}
