package mail

import (
	"context"
	"encoding/base64"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// latin1B encodes s as an ISO-8859-1 "B" encoded word, as older mail
// programs send German subjects.
func latin1B(t *testing.T, s string) string {
	t.Helper()
	b, err := charmap.ISO8859_1.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return "=?iso-8859-1?b?" + base64.StdEncoding.EncodeToString([]byte(b)) + "?="
}

func TestFetchShowsNewestUnreadDecoded(t *testing.T) {
	t.Parallel()
	cred := freshMailbox(t)
	berlin := time.FixedZone("CEST", 2*3600)
	day := time.Date(2026, 6, 1, 8, 0, 0, 0, berlin)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	uids := seed(t, cred,
		mail{From: "Poststelle <post@stadt.example>", Subject: "Alte Nachricht", Date: at(0), Received: at(0)},
		mail{From: "Poststelle <post@stadt.example>", Subject: "Zweite Nachricht", Date: at(1), Received: at(1)},
		mail{From: "=?iso-8859-1?q?B=FCrgeramt_K=F6ln?= <buergeramt@stadt.example>",
			Subject: latin1B(t, "Grüße aus dem Bürgeramt"), Date: at(2), Received: at(2)},
		mail{From: `"O'Brien, Seán" <sean@stadt.example>`, Subject: "<script>alert(1)</script>",
			Date: at(3), Received: at(3)},
		mail{From: "Kämmerei <kaemmerei@stadt.example>", Subject: "Gelesen: Haushaltsplan",
			Date: at(4), Received: at(4), Seen: true},
		mail{From: "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@stadt.example>",
			Subject: "=?utf-8?q?Sitzung_=C3=BCber_Stra=C3=9Fenreinigung?=", Date: at(5), Received: at(5)},
		mail{From: "Rechnungsstelle <rechnung@stadt.example>", Subject: "=?windows-1252?q?Rechnung_=80_50?=",
			Date: at(6), Received: at(6)},
		// A sender's clock five years ahead must not move the message or its date.
		mail{From: "=?utf-8?b?w5Z6ZGVtaXIgWcSxbG1heg==?= <oezdemir@stadt.example>",
			Subject:   "=?utf-8?q?Umlaute_=C3=A4=C3=B6=C3=BC?=\r\n =?utf-8?q?_und_=C3=9F?=",
			Date:      at(7).AddDate(5, 0, 0),
			Received:  at(7),
			MessageID: "<7.a+b/x@stadt.example>"},
		mail{From: "IT-Service <it@stadt.example>", Subject: "Schon gelesen", Date: at(8), Received: at(8), Seen: true},
	)
	c := newClient(t, Options{WebURL: "https://webmail.stadt.example/?_task=mail&_uid={uid}&_mid={message_id}"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	got, err := c.Fetch(ctx, cred)
	if err != nil {
		t.Fatal(err)
	}
	link := func(i int) string {
		return "https://webmail.stadt.example/?_task=mail&_uid=" + strconv.Itoa(int(uids[i])) + "&_mid="
	}
	want := Summary{Unread: 7, Messages: []Message{
		{FromName: "Özdemir Yılmaz", FromAddress: "oezdemir@stadt.example", Subject: "Umlaute äöü und ß",
			Date: at(7), UID: uids[7], URL: link(7) + "7.a%2Bb%2Fx%40stadt.example"},
		{FromName: "Rechnungsstelle", FromAddress: "rechnung@stadt.example", Subject: "Rechnung € 50",
			Date: at(6), UID: uids[6]},
		{FromName: "Jürgen Müller", FromAddress: "juergen@stadt.example", Subject: "Sitzung über Straßenreinigung",
			Date: at(5), UID: uids[5]},
		{FromName: "O'Brien, Seán", FromAddress: "sean@stadt.example", Subject: "<script>alert(1)</script>",
			Date: at(3), UID: uids[3]},
		{FromName: "Bürgeramt Köln", FromAddress: "buergeramt@stadt.example", Subject: "Grüße aus dem Bürgeramt",
			Date: at(2), UID: uids[2]},
	}}
	for i := range want.Messages[1:] {
		m := &want.Messages[i+1]
		if !strings.HasPrefix(got.Messages[i+1].URL, link(int(indexOf(uids, m.UID)))) {
			t.Errorf("message %d: URL %q does not link UID %d", i+1, got.Messages[i+1].URL, m.UID)
		}
		m.URL = got.Messages[i+1].URL // the generated Message-ID is random
	}
	assertSummary(t, got, want)

	// Looking must not mark anything read: a second look sees the same.
	again, err := c.Fetch(ctx, cred)
	if err != nil {
		t.Fatal(err)
	}
	assertSummary(t, again, want)
}

func indexOf(uids []uint32, uid uint32) int {
	for i, u := range uids {
		if u == uid {
			return i
		}
	}
	return -1
}

func assertSummary(t *testing.T, got, want Summary) {
	t.Helper()
	if got.Unread != want.Unread {
		t.Errorf("Unread = %d, want %d", got.Unread, want.Unread)
	}
	if len(got.Messages) != len(want.Messages) {
		t.Fatalf("got %d messages, want %d: %+v", len(got.Messages), len(want.Messages), got.Messages)
	}
	for i := range want.Messages {
		g, w := got.Messages[i], want.Messages[i]
		if !g.Date.Equal(w.Date) {
			t.Errorf("message %d (%q): Date %v, want %v", i, g.Subject, g.Date, w.Date)
		}
		g.Date, w.Date = time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("message %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestFetchEmptyInbox(t *testing.T) {
	t.Parallel()
	cred := freshMailbox(t)
	seed(t, cred, mail{From: "a@stadt.example", Subject: "Gelesen", Date: time.Now(), Received: time.Now(), Seen: true})
	got, err := newClient(t, Options{}).Fetch(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unread != 0 || len(got.Messages) != 0 {
		t.Errorf("got %+v, want nothing unread", got)
	}
}

func TestFetchLinksToWebURLWithoutPlaceholders(t *testing.T) {
	t.Parallel()
	cred := freshMailbox(t)
	seed(t, cred, mail{From: "a@stadt.example", Subject: "Hallo", Date: time.Now(), Received: time.Now()})
	got, err := newClient(t, Options{WebURL: "https://mail.stadt.example/"}).Fetch(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 || got.Messages[0].URL != "https://mail.stadt.example/" {
		t.Errorf("got %+v, want one message linking to the webmail", got.Messages)
	}
}
