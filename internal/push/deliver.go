package push

import (
	"context"
	"sync"
	"time"
)

// Target is one subscription to deliver to. ID is the caller's key for it
// (for example its storage key) and comes back in the report.
type Target struct {
	ID  string
	Sub Subscription
}

// Deliver sends payload to every target with at most workers requests in
// flight and calls report once per target with the final Result: delivered,
// gone (404/410: delete the subscription) or failed (keep it). 429, 5xx and
// network errors are retried with exponential backoff, honouring
// Retry-After, up to Config.MaxAttempts attempts. report is never called
// concurrently.
//
// When ctx is cancelled Deliver stops starting new messages, cancels the
// ones in flight (they are reported as failed with ctx's error), waits for
// its workers and returns ctx.Err(). Targets never started are not reported.
func (s *Sender) Deliver(ctx context.Context, targets []Target, payload []byte, opts Options, workers int, report func(Target, Result)) error {
	if report == nil {
		report = func(Target, Result) {}
	}
	workers = max(1, min(workers, len(targets)))
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		reportMu sync.Mutex
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue // cancelled before it started: not reported
				}
				res := s.deliverOne(ctx, targets[i].Sub, payload, opts)
				reportMu.Lock()
				report(targets[i], res)
				reportMu.Unlock()
			}
		}()
	}
feed:
	for i := range targets {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

// deliverOne sends one message with retries.
func (s *Sender) deliverOne(ctx context.Context, sub Subscription, payload []byte, opts Options) Result {
	var res Result
	for attempt := 1; ; attempt++ {
		res, _ = s.Send(ctx, sub, payload, opts)
		res.Attempts = attempt
		if res.Outcome != OutcomeRetry {
			return res
		}
		if attempt >= s.cfg.MaxAttempts {
			break
		}
		wait := s.backoff(attempt)
		if res.RetryAfter > s.cfg.MaxDelay {
			break // the service asks for more patience than this run has
		}
		wait = max(wait, res.RetryAfter)
		if err := s.cfg.Sleep(ctx, wait); err != nil {
			res.Err = err
			break
		}
	}
	res.Outcome = OutcomeFailed
	return res
}

// backoff is BaseDelay·2^(attempt-1), capped at MaxDelay.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.cfg.BaseDelay
	for i := 1; i < attempt && d < s.cfg.MaxDelay; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxDelay)
}
