package reminders

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

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
	ok, err := st.SetNX(ctx, sentKey(occ), []byte(s.consumerID()), m.Start.Sub(now)+48*time.Hour)
	if err != nil || !ok {
		return -1, err
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
		res, _ := t.Sender.Send(ctx, d.Sub, payload, opts)
		switch res.Outcome {
		case push.OutcomeDelivered:
			n++
		case push.OutcomeGone:
			_ = devices.Delete(ctx, subject, d.Sub.Endpoint)
		default:
			s.logger().Warn("reminders: push not accepted", "tenant", t.ID, "outcome", res.Outcome)
		}
	}
	return n, nil
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
