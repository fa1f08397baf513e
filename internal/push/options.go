package push

import (
	"errors"
	"strconv"
	"time"
)

// Urgency tells the push service how soon the device must wake for a
// message (RFC 8030 §5.3).
type Urgency string

// The urgencies of RFC 8030 §5.3. The empty Urgency sends no header (the
// service then assumes normal).
const (
	UrgencyVeryLow Urgency = "very-low"
	UrgencyLow     Urgency = "low"
	UrgencyNormal  Urgency = "normal"
	UrgencyHigh    Urgency = "high"
)

// MaxTTL is the longest time a push service keeps a message (FCM's limit,
// 28 days); longer TTLs are refused by Send.
const MaxTTL = 28 * 24 * time.Hour

// Options are the RFC 8030 headers of one message.
type Options struct {
	// TTL is how long the push service keeps the message while the device is
	// offline, in whole seconds. Zero means "deliver now or drop it".
	TTL time.Duration
	// Urgency is optional.
	Urgency Urgency
	// Topic, when set, replaces an undelivered earlier message with the same
	// topic (at most 32 base64url characters).
	Topic string
	// ContentType is the media type of the payload before encryption
	// ("application/notification+json" for Declarative Web Push); empty
	// sends application/octet-stream.
	ContentType string
}

func (o Options) validate() error {
	if o.TTL < 0 || o.TTL > MaxTTL {
		return errors.New("push: options: TTL must be between 0 and 28 days")
	}
	switch o.Urgency {
	case "", UrgencyVeryLow, UrgencyLow, UrgencyNormal, UrgencyHigh:
	default:
		return errors.New("push: options: urgency must be very-low, low, normal or high")
	}
	if !validTopic(o.Topic) {
		return errors.New("push: options: topic must be at most 32 base64url characters")
	}
	return nil
}

func (o Options) ttlHeader() string { return strconv.FormatInt(int64(o.TTL/time.Second), 10) }

// validTopic reports whether t fits RFC 8030 §5.4: up to 32 characters of
// the URL and filename safe base64 alphabet.
func validTopic(t string) bool {
	if len(t) > 32 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
