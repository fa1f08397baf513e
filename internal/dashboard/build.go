package dashboard

import (
	"context"
	"errors"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Request is one user's dashboard to build.
type Request struct {
	User  User
	Now   time.Time
	Creds CredentialFunc
}

// Build fetches every configured source concurrently, each within timeout,
// so the answer waits at most for the slowest source or its timeout, never
// the sum. A failing source becomes a block with status "error" and a
// reason; the others still show.
func Build(ctx context.Context, src Sources, timeout time.Duration, req Request) Snapshot {
	d := Snapshot{AsOf: req.Now.UTC(), User: req.User}
	for _, s := range every() {
		s.SetBlock(&d, Block{Status: StatusDisabled})
	}
	var wg sync.WaitGroup
	for _, s := range src {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			cred, err := req.Creds(cctx, s.Name())
			if err == nil {
				err = s.Fetch(cctx, cred, req.Now, &d)
			}
			if err != nil {
				setError(&d, s, err)
				if r, ok := s.(failureReporter); ok {
					r.failed(req.User, err)
				}
			}
		}()
	}
	wg.Wait()
	return d
}

// setError records a failed source. Each goroutine writes only its own
// block, so no lock is needed.
func setError(d *Snapshot, s Source, err error) {
	kind := kindOf(err)
	reason := Reason(kind)
	var ue *upstream.Error
	if errors.As(err, &ue) && ue.Reason != "" {
		reason = ue.Reason // what an admin must change (e.g. a refused token exchange)
	}
	s.SetBlock(d, Block{Status: StatusError, ErrorKind: string(kind), Reason: reason})
}

// Reason says in plain words what went wrong and what to do.
func Reason(k upstream.Kind) string {
	switch k {
	case upstream.KindAuth:
		return "The server refused your sign-in: sign in again or reconnect the account in settings."
	case upstream.KindTimeout:
		return "The server did not answer in time. Pforte tries again shortly."
	case upstream.KindBadData:
		return "The server sent an answer Pforte cannot read. IT has been notified in the log."
	case upstream.KindNotSetUp:
		return "Not connected yet: enter an app password under settings (Konten verbinden)."
	default:
		return "The server cannot be reached right now. Pforte tries again shortly."
	}
}
