package notify

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/push"
)

// DeclarativeType is the media type of a Declarative Web Push message:
// Safari (iOS 18.4+) shows it without running the service worker; other
// browsers hand the same JSON to the service worker's push handler.
const DeclarativeType = "application/notification+json"

// Declarative is the standard declarative push message (WebKit's
// Declarative Web Push; "web_push": 8030 marks it).
type Declarative struct {
	WebPush      int                     `json:"web_push"`
	Notification DeclarativeNotification `json:"notification"`
	AppBadge     *int                    `json:"app_badge,omitempty"`
	// Mutable lets the service worker replace the notification (content-
	// free mode: it fetches the text from Pforte).
	Mutable bool `json:"mutable"`
}

// DeclarativeNotification is the notification a declarative message shows.
type DeclarativeNotification struct {
	Title    string          `json:"title"`
	Body     string          `json:"body,omitempty"`
	Navigate string          `json:"navigate"`
	Lang     string          `json:"lang,omitempty"`
	Tag      string          `json:"tag"`
	Data     DeclarativeData `json:"data"`
	// Actions are the notification's buttons (meeting reminders:
	// "Beitreten", "Kalender"); each opens its own link.
	Actions []DeclarativeAction `json:"actions,omitempty"`
}

// DeclarativeAction is one button of a declarative notification. Navigate
// must be an http(s) URL: the service worker drops any other.
type DeclarativeAction struct {
	Action   string `json:"action"`
	Title    string `json:"title"`
	Navigate string `json:"navigate"`
}

// DeclarativeData is what Pforte's service worker needs beyond the
// standard fields.
type DeclarativeData struct {
	ID          string `json:"id"`
	URL         string `json:"url"` // path of navigate, for the service worker
	ContentFree bool   `json:"content_free,omitempty"`
	// ContentURL is where the service worker fetches a content-free
	// reminder's text ({title, body, navigate, actions}; a path on this
	// site, read with the user's session). Unset or unreachable: a neutral
	// text.
	ContentURL string `json:"content_url,omitempty"`
	// Kind is "reminder" for a meeting reminder (announcements leave it out).
	Kind string `json:"kind,omitempty"`
	// Start is a reminded meeting's start (RFC 3339): in content-free mode
	// the service worker finds the meeting by it in /api/dashboard.
	Start string `json:"start,omitempty"`
	// Join is the meeting's video link; Calendar opens it in the web calendar.
	Join     string `json:"join,omitempty"`
	Calendar string `json:"calendar,omitempty"`
}

// neutralTitle is the whole visible text of a content-free push.
var neutralTitle = map[string]string{"de": "Neue Meldung der IT", "en": "New message from IT"}

// Payload is the message, built once per publication. Content-free: a
// neutral title and the link only (the service worker fetches the text from
// Pforte), so nothing readable passes the push services. The tag makes a
// repeat (an edit, or a chunk retried after a crash) replace the earlier
// notification instead of adding one.
func Payload(a *announce.Announcement, t TenantPush, badge int) ([]byte, error) {
	path := "/announcements#ann-" + a.ID
	n := DeclarativeNotification{Navigate: t.Origin + path, Lang: t.Lang, Tag: "ann-" + a.ID,
		Data: DeclarativeData{ID: a.ID, URL: path}}
	if t.Config.ContentFree {
		n.Title = neutralTitle[t.Lang]
		if n.Title == "" {
			n.Title = neutralTitle["de"]
		}
		n.Data.ContentFree = true
	} else {
		txt := a.In(t.Lang)
		n.Title, n.Body = txt.Title, excerpt(txt.Body, 180)
	}
	raw, err := json.Marshal(Declarative{WebPush: 8030, Notification: n, Mutable: true, AppBadge: &badge})
	if err != nil {
		return nil, fmt.Errorf("notify: payload: %w", err)
	}
	return raw, nil
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// optionsOf: critical is urgent; the topic makes a repeat or an edited
// announcement replace its earlier undelivered message at the push service;
// a push outlives neither ttl nor the announcement.
func optionsOf(a *announce.Announcement, now time.Time, ttl time.Duration) push.Options {
	if a.ExpiresAt != nil && a.ExpiresAt.Sub(now) < ttl {
		ttl = max(a.ExpiresAt.Sub(now), time.Minute)
	}
	urgency := push.UrgencyNormal
	switch a.Severity {
	case announce.SeverityCritical:
		urgency = push.UrgencyHigh
	case announce.SeverityInfo:
		urgency = push.UrgencyLow
	}
	sum := sha256.Sum256([]byte(a.ID))
	return push.Options{TTL: ttl, Urgency: urgency, Topic: base64.RawURLEncoding.EncodeToString(sum[:24]), ContentType: DeclarativeType}
}
