package mail

import (
	"context"
	"strings"
	"testing"
	"time"
)

// What other servers and senders showed (issue 21), against Dovecot and
// Cyrus: a From of only a group falls back to Sender; one encoded word in a
// charset nobody knows leaves the others decoded; a message without a
// Subject comes back with an empty subject (the page names it
// "(kein Betreff)").
func TestFetchOddHeaders(t *testing.T) {
	for _, srv := range imapServers(t) {
		t.Run(srv.name, func(t *testing.T) {
			t.Parallel()
			cred := srv.fresh(t)
			day := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
			seedAt(t, srv.addr, cred,
				mail{From: "undisclosed-recipients:;", Headers: "Sender: Poststelle <post@stadt.example>\r\n",
					Subject: "Rundschreiben", Date: day, Received: day},
				mail{From: "Amt <amt@stadt.example>", Subject: "=?utf-8?q?Gr=C3=BC=C3=9Fe?= =?x-unbekannt?q?r=E4tsel?= =?utf-8?q?_aus_K=C3=B6ln?=",
					Date: day, Received: day.Add(time.Minute)},
				mail{From: "Amt <amt@stadt.example>", Date: day, Received: day.Add(2 * time.Minute)},
			)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			got, err := srv.client(t, Options{}).Fetch(ctx, cred)
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
		})
	}
}

// mail.master_style authzid: the master user signs in through SASL PLAIN's
// authorisation identity. Cyrus takes only that (its proxyservers); Dovecot
// takes it too with a master passdb. Either way the user's own mailbox
// opens, not the master's; a wrong master password is an auth error.
func TestFetchMasterAuthzID(t *testing.T) {
	for _, srv := range imapServers(t) {
		t.Run(srv.name, func(t *testing.T) {
			t.Parallel()
			mailbox := srv.fresh(t)
			// Encoded: Cyrus stores raw 8-bit header bytes as "X" (munge8bit).
			seedAt(t, srv.addr, mailbox, mail{From: "Amt <amt@stadt.example>", Subject: "=?utf-8?q?F=C3=BCr_das_Postfach?=", Date: time.Now(), Received: time.Now()})
			user := mailbox.AuthzID
			if user == "" {
				user = strings.TrimSuffix(mailbox.Username, "*"+srv.master)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c := srv.client(t, Options{})

			got, err := c.Fetch(ctx, AuthzIDCredential(user, srv.master, srv.masterPass))
			if err != nil {
				t.Fatal(err)
			}
			if got.Unread != 1 || got.Messages[0].Subject != "Für das Postfach" {
				t.Errorf("authzid master login into %s: %+v, want its one unread message", user, got)
			}
			_, err = c.Fetch(ctx, AuthzIDCredential(user, srv.master, "wrong"))
			wantKind(t, err, "auth")
			if srv.style == "authzid" {
				// The separator style is what Cyrus refuses: why master_style exists.
				_, err = c.Fetch(ctx, MasterCredential(user, srv.master, srv.masterPass, ""))
				wantKind(t, err, "auth")
			}
		})
	}
}
