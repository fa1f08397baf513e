package mail

import (
	"reflect"
	"testing"

	"github.com/emersion/go-imap/v2"
)

func TestNewRejectsBadConfiguration(t *testing.T) {
	for name, opts := range map[string]Options{
		"no port":          {Addr: "imap.stadt.example"},
		"unknown tls mode": {Addr: "imap.stadt.example:993", TLS: "ssl"},
		"negative limit":   {Addr: "imap.stadt.example:993", Limit: -1},
		"relative web url": {Addr: "imap.stadt.example:993", WebURL: "/webmail/{uid}"},
		"not http":         {Addr: "imap.stadt.example:993", WebURL: "javascript:alert({uid})"},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("%s: New(%+v) accepted it", name, opts)
		}
	}
}

func TestLinkTemplate(t *testing.T) {
	for _, tc := range []struct {
		web, messageID, want string
	}{
		{"", "a@b", ""},
		{"https://mail.stadt.example/", "a@b", "https://mail.stadt.example/"},
		{"https://mail.stadt.example/?_uid={uid}&_action=show", "a@b", "https://mail.stadt.example/?_uid=42&_action=show"},
		// A Message-ID is the sender's text: it must stay one URL component.
		{"https://mail.stadt.example/msg/{message_id}", `x y/../&admin=1"<>@evil`,
			"https://mail.stadt.example/msg/x%20y%2F..%2F%26admin%3D1%22%3C%3E%40evil"},
		{"https://mail.stadt.example/?id={message_id}&u={uid}", "", "https://mail.stadt.example/?id=&u=42"},
	} {
		l, err := parseLinkTemplate(tc.web)
		if err != nil {
			t.Fatalf("%q: %v", tc.web, err)
		}
		if got := l.expand(42, tc.messageID); got != tc.want {
			t.Errorf("%q with %q: %q, want %q", tc.web, tc.messageID, got, tc.want)
		}
	}
}

func TestNewestUIDs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		all   imap.NumSet
		limit int
		want  []imap.UID
	}{
		{"nothing unread", nil, 5, nil},
		{"fewer than limit", imap.UIDSetNum(3, 9, 4), 5, []imap.UID{9, 4, 3}},
		{"newest first across ranges", imap.UIDSet{{Start: 1, Stop: 3}, {Start: 10, Stop: 11}, {Start: 7, Stop: 7}}, 4,
			[]imap.UID{11, 10, 7, 3}},
		{"huge range is not expanded", imap.UIDSet{{Start: 1, Stop: 4_000_000_000}}, 2, []imap.UID{4_000_000_000, 3_999_999_999}},
		{"overlapping and reversed ranges", imap.UIDSet{{Start: 5, Stop: 2}, {Start: 4, Stop: 8}}, 10,
			[]imap.UID{8, 7, 6, 5, 4, 3, 2}},
	} {
		got, err := newestUIDs(tc.all, tc.limit)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) == 0 && len(tc.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// A server answering "*" or sequence numbers is not believed.
	for _, bad := range []imap.NumSet{imap.UIDSet{{Start: 5, Stop: 0}}, imap.SeqSetNum(1, 2)} {
		if _, err := newestUIDs(bad, 5); err == nil {
			t.Errorf("newestUIDs(%v) accepted it", bad)
		}
	}
}
