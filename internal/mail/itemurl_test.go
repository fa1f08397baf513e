package mail

import (
	"net/url"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// web_item_url wins over web_url, and the sender's Message-ID stays one
// query value however hostile.
func TestWebItemURL(t *testing.T) {
	c, err := New(Options{Addr: "imap.stadt.example:993", WebURL: "https://mail.stadt.example/#uid={uid}",
		WebItemURL: "https://mail.stadt.example/?_task=mail&_mbox={folder}&_uid={uid}&mid={message_id}&_action=show"})
	if err != nil {
		t.Fatal(err)
	}
	const mid = `x y#z?&_action=delete/"'@evil`
	m := newMessage(42, &imap.Envelope{Subject: "s", MessageID: mid}, time.Now(), c.link)
	u, err := url.Parse(m.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("_mbox") != "INBOX" || q.Get("_uid") != "42" || q.Get("mid") != mid || len(q["_action"]) != 1 || q.Get("_action") != "show" || u.Fragment != "" {
		t.Errorf("%q: query %v fragment %q", m.URL, q, u.Fragment)
	}
}

func TestWebItemURLRefused(t *testing.T) {
	for _, raw := range []string{"https://mail.stadt.example/{id}", "/mail/{uid}"} {
		if _, err := New(Options{Addr: "imap.stadt.example:993", WebItemURL: raw}); err == nil {
			t.Errorf("New accepted web item url %q", raw)
		}
	}
}
