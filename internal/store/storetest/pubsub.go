package storetest

import (
	"context"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// receive waits for the next message on ch.
func receive(t *testing.T, ch <-chan []byte) string {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed, want a message")
		}
		return string(m)
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10 s")
	}
	return ""
}

// waitClosed drains ch until it is closed.
func waitClosed(t *testing.T, ch <-chan []byte) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("subscription channel not closed within 10 s")
		}
	}
}

func testPubSub(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	must(t, s.Publish(ctx, "announcements", []byte("nobody listens")))

	first, cancel1, err := s.Subscribe(ctx, "announcements")
	must(t, err)
	defer cancel1()
	second, cancel2, err := s.Subscribe(ctx, "announcements")
	must(t, err)
	defer cancel2()
	other, cancel3, err := s.Subscribe(ctx, "other")
	must(t, err)
	defer cancel3()

	msg := []byte("outage")
	must(t, s.Publish(ctx, "announcements", msg))
	msg[0] = 'X' // the publisher may reuse its buffer
	must(t, s.Publish(ctx, "announcements", []byte("fixed")))
	must(t, s.Publish(ctx, "other", []byte("on other")))

	for _, ch := range []<-chan []byte{first, second} {
		if got := receive(t, ch); got != "outage" {
			t.Fatalf("first message = %q, want outage", got)
		}
		if got := receive(t, ch); got != "fixed" {
			t.Fatalf("second message = %q, want fixed (in publish order)", got)
		}
	}
	// The subscriber of "other" gets only its own channel's message.
	if got := receive(t, other); got != "on other" {
		t.Fatalf("other channel got %q", got)
	}
}

func testSubscribeCancel(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	ch, cancel, err := s.Subscribe(ctx, "news")
	must(t, err)
	cancel()
	cancel() // idempotent
	waitClosed(t, ch)
	must(t, s.Publish(ctx, "news", []byte("after cancel")))

	subCtx, stop := context.WithCancel(ctx)
	ch, cancel, err = s.Subscribe(subCtx, "news")
	must(t, err)
	defer cancel()
	must(t, s.Publish(ctx, "news", []byte("hello")))
	if got := receive(t, ch); got != "hello" {
		t.Fatalf("got %q", got)
	}
	stop()
	waitClosed(t, ch)

	// A subscriber that never reads does not block publishers.
	_, cancelSlow, err := s.Subscribe(ctx, "flood")
	must(t, err)
	defer cancelSlow()
	for range 2000 {
		must(t, s.Publish(ctx, "flood", []byte("x")))
	}
}
