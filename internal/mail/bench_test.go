package mail

import (
	"context"
	"testing"
	"time"
)

// BenchmarkFetch measures one dashboard look at a mailbox on the stack's
// Dovecot: connect, log in, STATUS, EXAMINE, SEARCH, FETCH of the newest 5
// envelopes of 12 unread among 30, LOGOUT.
func BenchmarkFetch(b *testing.B) {
	cred := freshMailbox(b)
	start := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	msgs := make([]mail, 30)
	for i := range msgs {
		at := start.Add(time.Duration(i) * time.Minute)
		msgs[i] = mail{From: "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@stadt.example>",
			Subject: "=?utf-8?q?Sitzung_=C3=BCber_Stra=C3=9Fenreinigung?=", Date: at, Received: at, Seen: i%5 < 3}
	}
	seed(b, cred, msgs...)
	c := newClient(b, Options{WebURL: "https://webmail.stadt.example/?_uid={uid}"})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.Fetch(ctx, cred)
		if err != nil {
			b.Fatal(err)
		}
		if got.Unread != 12 || len(got.Messages) != 5 {
			b.Fatalf("got %d unread, %d listed: want 12 and 5", got.Unread, len(got.Messages))
		}
	}
}
