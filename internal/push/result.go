package push

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Outcome classifies what happened to a message.
type Outcome int

// Outcomes of a send. Only OutcomeGone means the subscription should be
// deleted; a failed message keeps its subscription.
const (
	// OutcomeFailed: the message was not accepted and retrying will not help
	// (or the attempts are used up). Keep the subscription.
	OutcomeFailed Outcome = iota
	// OutcomeDelivered: the push service accepted the message (201/202).
	OutcomeDelivered
	// OutcomeGone: the subscription no longer exists (404/410). Delete it.
	OutcomeGone
	// OutcomeRetry: a transient failure (429, 5xx, network error). Send
	// returns it; Deliver retries and never reports it.
	OutcomeRetry
)

// String names the outcome for logs and metrics labels.
func (o Outcome) String() string {
	switch o {
	case OutcomeDelivered:
		return "delivered"
	case OutcomeGone:
		return "gone"
	case OutcomeRetry:
		return "retry"
	default:
		return "failed"
	}
}

// Result is what the push service answered.
type Result struct {
	// Outcome is what to do with the subscription.
	Outcome Outcome
	// Status is the HTTP status of the last attempt (0 if none was answered).
	Status int
	// RetryAfter is the push service's Retry-After of the last attempt, or 0.
	RetryAfter time.Duration
	// Gone is true for 404 and 410: the caller should delete the subscription.
	Gone bool
	// Attempts is how many requests were made (Deliver only; 1 for Send).
	Attempts int
	// Err is the error of the last attempt, if any.
	Err error
}

// classify maps a response status to an outcome (RFC 8030 §5, §6).
func classify(status int) Outcome {
	switch {
	case status == http.StatusCreated || status == http.StatusAccepted:
		return OutcomeDelivered
	case status == http.StatusNotFound || status == http.StatusGone:
		return OutcomeGone
	case status == http.StatusTooManyRequests || status >= 500:
		return OutcomeRetry
	default:
		return OutcomeFailed
	}
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date
// (RFC 9110 §10.2.3). Unparsable or past values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(MaxTTL/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
