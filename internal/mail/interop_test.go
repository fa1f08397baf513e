package mail

import (
	"context"
	"testing"
	"time"
)

// What other servers and senders showed (issue 21), against Dovecot: a
// From of only a group falls back to Sender; one encoded word in a charset
// nobody knows leaves the others decoded; a message without a Subject
// comes back with an empty subject (the page names it "(kein Betreff)").
func TestFetchOddHeaders(t *testing.T) {
	t.Parallel()
	cred := freshMailbox(t)
	day := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	seed(t, cred,
		mail{From: "undisclosed-recipients:;", Headers: "Sender: Poststelle <post@stadt.example>\r\n",
			Subject: "Rundschreiben", Date: day, Received: day},
		mail{From: "Amt <amt@stadt.example>", Subject: "=?utf-8?q?Gr=C3=BC=C3=9Fe?= =?x-unbekannt?q?r=E4tsel?= =?utf-8?q?_aus_K=C3=B6ln?=",
			Date: day, Received: day.Add(time.Minute)},
		mail{From: "Amt <amt@stadt.example>", Date: day, Received: day.Add(2 * time.Minute)},
	)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := newClient(t, Options{}).Fetch(ctx, cred)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 3 {
		t.Fatalf("got %+v, want 3 messages", got.Messages)
	}
	if m := got.Messages[2]; m.FromName != "Poststelle" || m.FromAddress != "post@stadt.example" {
		t.Errorf("From undisclosed-recipients:; with a Sender: from %q <%q>, want the Sender Poststelle <post@stadt.example>", m.FromName, m.FromAddress)
	}
	if s := got.Messages[1].Subject; s != "Grüße =?x-unbekannt?q?r=E4tsel?= aus Köln" {
		t.Errorf("subject with one unknown charset: %q, want the known words decoded and the unknown one kept", s)
	}
	if m := got.Messages[0]; m.Subject != "" || m.FromName != "Amt" {
		t.Errorf("message without Subject: %+v", m)
	}
}

// mail.master_style authzid: the master user signs in through SASL PLAIN's
// authorisation identity (how Cyrus takes it); Dovecot with a master passdb
// takes it the same way, and opens the user's own mailbox, not the master's.
func TestFetchMasterAuthzID(t *testing.T) {
	t.Parallel()
	mailbox := freshMailbox(t) // "t-...*pforte-master": the separator style
	seed(t, mailbox, mail{From: "Amt <amt@stadt.example>", Subject: "Für das Postfach", Date: time.Now(), Received: time.Now()})
	user := mailbox.Username[:len(mailbox.Username)-len("*pforte-master")]
	master, pw := masterLogin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := newClient(t, Options{})

	got, err := c.Fetch(ctx, AuthzIDCredential(user, master, pw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Unread != 1 || got.Messages[0].Subject != "Für das Postfach" {
		t.Errorf("authzid master login into %s: %+v, want its one unread message", user, got)
	}
	_, err = c.Fetch(ctx, AuthzIDCredential(user, master, "wrong"))
	wantKind(t, err, "auth")
}
