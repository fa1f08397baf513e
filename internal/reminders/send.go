package reminders

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// The sent claim of an occurrence: "sending" while an instance sends it
// (it runs out if that instance dies), "sent" once the push went out.
var (
	claimSending = []byte("sending")
	claimSent    = []byte("sent")
	errBusy      = errors.New("reminders: another instance is sending this reminder")
)

// sentAlready tells whether occ's reminder went out.
func sentAlready(ctx context.Context, st store.Store, occ string) bool {
	v, err := st.Get(ctx, sentKey(occ))
	return err == nil && string(v) == string(claimSent)
}

// texts of the notification, by language.
var texts = map[string]struct{ title, neutral, join, calendar, clock string }{
	"de": {"Besprechung in %d Min.", "Tippen für Details", "Beitreten", "Kalender", "15:04 Uhr"},
	"en": {"Meeting in %d min", "Tap for details", "Join", "Calendar", "15:04"},
}

// send pushes the reminder of occurrence occ, due at at, to every device
// of the person, once across all instances (the sent claim), and returns
// how many devices accepted it; -1 when another instance sent it. The
// claim, the payload and the devices are ready before it waits for at
// (having given up its worker slot through free), so at a peak only the
// requests to the push services are left for the moment itself.
func (s *Scheduler) send(ctx context.Context, t Tenant, st store.Store, subject, occ string, p Prefs, m Meeting, at time.Time, free func()) (int, error) {
	now := s.now()
	if at.After(now) {
		now = at // the text says the lead time
	}
	// The sent claim is first a short one: if this instance dies before
	// the push went out, it runs out before the entry's lease does, and
	// the instance that retakes the entry sends. Once sent it is kept
	// until well after the meeting.
	ok, err := st.SetNX(ctx, sentKey(occ), claimSending, max(at.Sub(s.now()), 0)+s.lease()/4)
	if err != nil {
		return 0, err
	}
	if !ok {
		if v, err := st.Get(ctx, sentKey(occ)); err == nil && string(v) == string(claimSent) {
			return -1, nil
		}
		return 0, errBusy // another instance is sending it: looked at again later
	}
	payload, err := Payload(t, p, occ, m, now)
	if err != nil {
		return 0, err
	}
	devices := notify.NewDevices(st)
	list, err := devices.List(ctx, subject)
	if err != nil {
		return 0, err
	}
	if d := at.Sub(s.now()); d > 0 {
		free()
		s.wait(ctx, d)
	}
	release, ok := s.sending(ctx)
	if !ok {
		return 0, ctx.Err()
	}
	defer release()
	now = s.now()
	sum := sha256.Sum256([]byte(occ))
	opts := push.Options{TTL: max(m.Start.Sub(now), time.Minute).Truncate(time.Second), Urgency: push.UrgencyHigh,
		Topic: base64.RawURLEncoding.EncodeToString(sum[:24]), ContentType: notify.DeclarativeType}
	n := 0
	for _, d := range list {
		res := s.sendOne(ctx, t, d.Sub, payload, opts, m.Start)
		switch res.Outcome {
		case push.OutcomeDelivered:
			n++
		case push.OutcomeGone:
			_ = devices.Delete(ctx, subject, d.Sub.Endpoint)
		default:
			s.logger().Warn("reminders: push not accepted", "tenant", t.ID, "outcome", res.Outcome)
		}
	}
	if ctx.Err() != nil {
		return n, ctx.Err() // shutting down: the claim runs out, another instance sends
	}
	if err := st.Set(ctx, sentKey(occ), claimSent, m.Start.Sub(s.now())+48*time.Hour); err != nil {
		return n, err
	}
	return n, nil
}

// sendOne sends to one device, trying a transient refusal (429, 5xx, a
// network error) again, at most three times and never past the meeting's
// start, when a reminder is no use any more.
func (s *Scheduler) sendOne(ctx context.Context, t Tenant, sub push.Subscription, payload []byte, opts push.Options, start time.Time) push.Result {
	var res push.Result
	for attempt := 1; ; attempt++ {
		res, _ = t.Sender.Send(ctx, sub, payload, opts)
		if res.Outcome != push.OutcomeRetry || attempt == 3 {
			return res
		}
		wait := min(max(res.RetryAfter, time.Duration(attempt)*2*time.Second), 10*time.Second)
		if !s.now().Add(wait).Before(start) || ctx.Err() != nil {
			return res
		}
		s.wait(ctx, wait)
	}
}

// Payload is the declarative push of one reminder: "Besprechung in 10
// Min." with the meeting's title and time, navigate and a "Beitreten"
// action to the video link, a "Kalender" action to the web calendar. In
// content-free mode it carries neither title nor links: the service worker
// finds the meeting by its start in /api/dashboard.
func Payload(t Tenant, p Prefs, occ string, m Meeting, now time.Time) ([]byte, error) {
	lang := p.Lang
	if _, ok := texts[lang]; !ok {
		lang = t.Lang
	}
	if _, ok := texts[lang]; !ok {
		lang = "de"
	}
	tx := texts[lang]
	mins := max(1, int((m.Start.Sub(now)+30*time.Second)/time.Minute))
	loc := t.Location
	if loc == nil {
		loc = time.UTC
	}
	n := notify.DeclarativeNotification{Title: fmt.Sprintf(tx.title, mins), Navigate: t.Origin + "/", Lang: lang, Tag: "rem-" + occ,
		Data: notify.DeclarativeData{ID: occ, URL: "/", Kind: "reminder", Start: m.Start.UTC().Format(time.RFC3339)}}
	if t.Push.ContentFree {
		n.Body, n.Data.ContentFree = tx.neutral, true
	} else {
		n.Body = m.Title + " · " + m.Start.In(loc).Format(tx.clock)
		n.Data.Join, n.Data.Calendar = m.JoinURL, m.URL
		if m.JoinURL != "" {
			n.Navigate = m.JoinURL
			n.Actions = append(n.Actions, notify.DeclarativeAction{Action: "join", Title: tx.join, Navigate: m.JoinURL})
		}
		if m.URL != "" {
			n.Actions = append(n.Actions, notify.DeclarativeAction{Action: "calendar", Title: tx.calendar, Navigate: m.URL})
		}
	}
	raw, err := json.Marshal(notify.Declarative{WebPush: 8030, Notification: n, Mutable: true})
	if err != nil {
		return nil, fmt.Errorf("reminders: payload: %w", err)
	}
	return raw, nil
}
