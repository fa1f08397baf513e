package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Failures logs and counts failed sources, so IT learns why a block shows
// an error. A user's failure of one kind at one source is logged once per
// Every (the dashboard refreshes every minute; one line per refresh would
// drown the log when a server is down for 8,000 users), and at most Burst
// lines per minute are written in all; every failure is counted in
// pforte_source_errors_total{tenant,source,kind}. Lines name the tenant,
// source, kind, upstream host and the upstream's status or error, never a
// credential, a user name or a path.
type Failures struct {
	log   *slog.Logger
	count *prometheus.CounterVec
	now   func() time.Time
	every time.Duration
	burst int

	mu         sync.Mutex
	seen       map[failureKey]time.Time
	minute     time.Time // start of the current minute window
	written    int       // lines written in it
	suppressed int       // lines left out since the last one written
}

type failureKey struct {
	tenant, source, user string
	kind                 upstream.Kind
}

// maxSeen bounds the memory of who was logged when.
const maxSeen = 50000

// NewFailures returns a Failures writing to log and registering its counter
// with reg. every is how long one user's failure stays quiet after it was
// logged (15 minutes when zero); burst caps lines per minute (60 when zero).
func NewFailures(log *slog.Logger, reg prometheus.Registerer, every time.Duration, burst int, now func() time.Time) *Failures {
	if every <= 0 {
		every = 15 * time.Minute
	}
	if burst <= 0 {
		burst = 60
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Failures{
		log: log, now: now, every: every, burst: burst, seen: map[failureKey]time.Time{},
		count: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pforte_source_errors_total",
			Help: "Failed dashboard source fetches by tenant, source and kind (auth, unreachable, timeout, bad_data).",
		}, []string{"tenant", "source", "kind"}),
	}
	if reg != nil {
		reg.MustRegister(f.count)
	}
	return f
}

// Logger is the logger connectors write their own warnings to (for
// example the calendar's skipped unreadable events).
func (f *Failures) Logger() *slog.Logger {
	if f == nil {
		return slog.New(slog.DiscardHandler)
	}
	return f.log
}

// reporter returns the hook Build calls for one tenant's failed sources;
// hosts names each source's upstream server.
func (f *Failures) reporter(tenant string, hosts map[string]string) func(string, User, error) {
	if f == nil {
		return nil
	}
	return func(source string, u User, err error) {
		f.Report(tenant, source, hosts[source], u, err)
	}
}

// failureReporter is a source that wants its failures (credential, fetch or
// timeout) logged and counted: see reported.
type failureReporter interface{ failed(u User, err error) }

// reported is a source whose failures Build hands to report.
type reported struct {
	Source
	report func(source string, u User, err error)
}

func (r reported) failed(u User, err error) { r.report(r.Name(), u, err) }

// Report counts one failed fetch and logs it unless the same user's failure
// of the same kind was logged recently or the minute's lines are used up.
// Sources that are merely not set up yet are neither logged nor counted.
func (f *Failures) Report(tenant, source, host string, u User, err error) {
	kind := kindOf(err)
	if kind == upstream.KindNotSetUp {
		return
	}
	f.count.WithLabelValues(tenant, source, string(kind)).Inc()
	now := f.now()
	k := failureKey{tenant: tenant, source: source, user: u.Email + "\x00" + u.Name, kind: kind}

	f.mu.Lock()
	if last, ok := f.seen[k]; ok && now.Sub(last) < f.every {
		f.mu.Unlock()
		return
	}
	if now.Sub(f.minute) >= time.Minute {
		f.minute, f.written = now, 0
	}
	if f.written >= f.burst {
		f.suppressed++
		f.mu.Unlock()
		return
	}
	f.written++
	suppressed := f.suppressed
	f.suppressed = 0
	f.remember(k, now)
	f.mu.Unlock()

	f.log.Warn("dashboard: source failed", "tenant", tenant, "source", source, "kind", string(kind),
		"upstream", host, "detail", detail(err, u), "suppressed", suppressed)
}

// remember notes when k was logged, forgetting old entries when the map
// grows past maxSeen. Callers hold f.mu.
func (f *Failures) remember(k failureKey, now time.Time) {
	if len(f.seen) >= maxSeen {
		for old, at := range f.seen {
			if now.Sub(at) >= f.every {
				delete(f.seen, old)
			}
		}
		if len(f.seen) >= maxSeen {
			clear(f.seen)
		}
	}
	f.seen[k] = now
}

// kindOf is the kind a block shows for err: a source's own timeout counts
// as a timeout whatever the connector made of it.
func kindOf(err error) upstream.Kind {
	if errors.Is(err, context.DeadlineExceeded) {
		return upstream.KindTimeout
	}
	return upstream.KindOf(err)
}

// httpStatus is implemented by the DAV connectors' status errors.
type httpStatus interface{ HTTPStatus() int }

var quotedURL = regexp.MustCompile(`"[a-z]+://[^"]*"`)

// maxDetail bounds a log line's detail.
const maxDetail = 240

// detail says what the upstream answered without personal data: the HTTP
// status, the network error (addresses only), or the innermost error text
// with URLs (which hold user names and paths) and the user's names cut out.
func detail(err error, u User) string {
	var hs httpStatus
	if errors.As(err, &hs) {
		return fmt.Sprintf("HTTP %d", hs.HTTPStatus())
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer before the source timeout"
	}
	// The innermost error is what the upstream said; the wrapping around it
	// names folders and calendars, which may be personal.
	for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(inner) {
		err = inner
	}
	s := quotedURL.ReplaceAllString(err.Error(), `"<url>"`)
	local, _, _ := strings.Cut(u.Email, "@")
	for _, id := range []string{u.Email, u.Name, local} {
		if len(id) > 2 {
			s = strings.ReplaceAll(s, id, "<user>")
		}
	}
	if len(s) > maxDetail {
		s = strings.ToValidUTF8(s[:maxDetail], "") + "…"
	}
	return s
}
