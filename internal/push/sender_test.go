package push_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

func TestSendRoundTripsPayloadByteExact(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, _ := newSender(t, srv, nil)
	sub := srv.NewSubscription(keys.PublicKey())
	payloads := [][]byte{
		[]byte(`{"title":"Störung im Bürgerbüro","body":"Größere Ausfälle – bitte Geduld! ÄÖÜäöüß €"}`),
		{},
		bytes.Repeat([]byte("ä"), push.MaxPayload/2), // 3992 bytes: just below the limit
		append([]byte{0, 0, 2, 0}, "trailing zeros survive\x00\x00"...),
	}
	for _, p := range payloads {
		res, err := s.Send(context.Background(), sub, p, push.Options{TTL: time.Hour})
		if err != nil || res.Outcome != push.OutcomeDelivered || res.Status != 201 {
			t.Fatalf("send %d bytes: %+v, %v", len(p), res, err)
		}
	}
	noRejections(t, srv)
	got := srv.Messages(sub)
	if len(got) != len(payloads) {
		t.Fatalf("service got %d messages, want %d", len(got), len(payloads))
	}
	for i, m := range got {
		if !bytes.Equal(m.Payload, payloads[i]) {
			t.Errorf("message %d: got %q, want %q", i, m.Payload, payloads[i])
		}
	}
}

func TestSendRefusesTooLargePayload(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, _ := newSender(t, srv, nil)
	sub := srv.NewSubscription(keys.PublicKey())
	_, err := s.Send(context.Background(), sub, make([]byte, push.MaxPayload+1), push.Options{TTL: time.Hour})
	if !errors.Is(err, push.ErrPayloadTooLarge) {
		t.Fatalf("err = %v, want ErrPayloadTooLarge", err)
	}
	if n := srv.Attempts(sub); n != 0 {
		t.Fatalf("a refused payload still reached the service %d times", n)
	}
	if _, err := s.Send(context.Background(), sub, make([]byte, push.MaxPayload), push.Options{TTL: time.Hour}); err != nil {
		t.Fatalf("largest payload: %v", err)
	}
	noRejections(t, srv)
}

func TestSendHeadersReachService(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, _ := newSender(t, srv, nil)
	sub := srv.NewSubscription(keys.PublicKey())
	opts := push.Options{TTL: 36 * time.Hour, Urgency: push.UrgencyHigh, Topic: "announcement-42"}
	if _, err := s.Send(context.Background(), sub, []byte("x"), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), sub, []byte("y"), push.Options{}); err != nil {
		t.Fatal(err)
	}
	noRejections(t, srv)
	m := srv.Messages(sub)
	if len(m) != 2 {
		t.Fatalf("got %d messages", len(m))
	}
	if m[0].TTL != 129600 || m[0].Urgency != "high" || m[0].Topic != "announcement-42" {
		t.Errorf("first message headers: %+v", m[0])
	}
	if m[1].TTL != 0 || m[1].Urgency != "" || m[1].Topic != "" {
		t.Errorf("second message must carry TTL 0 and no urgency/topic: %+v", m[1])
	}
}

func TestSendRejectsBadOptions(t *testing.T) {
	srv := pushtest.NewServer(t)
	s, keys, _ := newSender(t, srv, nil)
	sub := srv.NewSubscription(keys.PublicKey())
	for _, o := range []push.Options{
		{TTL: -time.Second},
		{TTL: 29 * 24 * time.Hour},
		{Urgency: "urgent"},
		{Topic: strings.Repeat("a", 33)},
		{Topic: "has space"},
	} {
		if _, err := s.Send(context.Background(), sub, []byte("x"), o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	if n := srv.Attempts(sub); n != 0 {
		t.Fatalf("bad options reached the service %d times", n)
	}
}

// A long-running server must keep delivering once its first VAPID token
// nears expiry: the cached token is replaced before the service refuses it.
func TestSendRenewsVAPIDTokenBeforeExpiry(t *testing.T) {
	var now time.Time
	clock := func() time.Time { return now }
	now = time.Now()
	srv := pushtest.New(pushtest.Options{Now: clock})
	t.Cleanup(srv.Close)
	s, keys, _ := newSender(t, srv, func(c *push.Config) { c.Now = clock })
	sub := srv.NewSubscription(keys.PublicKey())
	for _, step := range []time.Duration{0, 6 * time.Hour, 5*time.Hour + 30*time.Minute, 12 * time.Hour, 30 * time.Hour} {
		now = now.Add(step)
		res, err := s.Send(context.Background(), sub, []byte("still here"), push.Options{TTL: time.Minute})
		if err != nil || res.Outcome != push.OutcomeDelivered {
			t.Fatalf("after +%v: %+v %v (service: %+v)", step, res, err, srv.Rejections())
		}
	}
}

func TestSubjectForms(t *testing.T) {
	srv := pushtest.NewServer(t)
	for _, subj := range []string{"it@example.org", "mailto:it@example.org", "https://portal.example.org/contact"} {
		s, keys, _ := newSender(t, srv, func(c *push.Config) { c.Subject = subj })
		sub := srv.NewSubscription(keys.PublicKey())
		if res, err := s.Send(context.Background(), sub, []byte("x"), push.Options{TTL: time.Minute}); err != nil || res.Status != 201 {
			t.Errorf("subject %q: %+v %v", subj, res, err)
		}
	}
	noRejections(t, srv)
	keys, _ := push.GenerateVAPIDKeys()
	for _, bad := range []string{"", "it", "http://portal.example.org", "mailto:", "a b@c"} {
		if _, err := push.NewSender(push.Config{Keys: keys, Subject: bad}); err == nil {
			t.Errorf("subject %q accepted", bad)
		}
	}
}

// webpush-go is an independent implementation: the fake service must accept
// its messages too, or the fake is checking something the RFCs do not say.
func TestWebpushGoCrossCheck(t *testing.T) {
	srv := pushtest.NewServer(t)
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := push.ParseVAPIDKeys(priv, pub)
	if err != nil {
		t.Fatalf("webpush-go keys: %v", err)
	}
	sub := srv.NewSubscription(keys.PublicKey())
	payload := []byte("Grüße aus dem Rathaus")
	resp, err := webpush.SendNotification(payload, &webpush.Subscription{
		Endpoint: sub.Endpoint, Keys: webpush.Keys{Auth: sub.Keys.Auth, P256dh: sub.Keys.P256dh},
	}, &webpush.Options{HTTPClient: srv.Client(), Subscriber: "it@example.org", VAPIDPublicKey: pub, VAPIDPrivateKey: priv, TTL: 60})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("webpush-go message refused: %d %+v", resp.StatusCode, srv.Rejections())
	}
	// And our sender with the same keys, to the same subscription.
	s, err := push.NewSender(push.Config{Keys: keys, Subject: "it@example.org", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), sub, payload, push.Options{TTL: 60}); err != nil {
		t.Fatal(err)
	}
	m := srv.Messages(sub)
	if len(m) != 2 || !bytes.Equal(m[0].Payload, payload) || !bytes.Equal(m[1].Payload, payload) {
		t.Fatalf("messages: %+v", m)
	}
}
