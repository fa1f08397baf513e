package mail

import (
	"strings"
	"time"
	"unicode"

	"github.com/emersion/go-imap/v2"
)

// Summary is what the dashboard shows of a user's INBOX.
type Summary struct {
	// Unread counts every unread message in INBOX, not only those listed.
	Unread int
	// Messages are the newest unread messages, newest first.
	Messages []Message
}

// Message is one unread message as the dashboard lists it. All text is
// untrusted data from the sender, decoded to plain UTF-8; the web layer
// escapes it.
type Message struct {
	// FromName is the sender's display name, decoded from RFC 2047; empty
	// when the sender gave none.
	FromName string
	// FromAddress is the sender's address ("amt@stadt.example").
	FromAddress string
	// Subject is decoded from RFC 2047.
	Subject string
	// Date is when the server received the message (INTERNALDATE), or the
	// message's Date header when the server gives none. Arrival time cannot
	// be forged by a sender's clock and matches the list's order.
	Date time.Time
	// URL opens the message in the webmail (see Options.WebURL).
	URL string
	// UID is the message's IMAP UID in INBOX.
	UID uint32
}

func newMessage(uid uint32, env *imap.Envelope, received time.Time, link linkTemplate) Message {
	m := Message{
		Subject: cleanText(env.Subject),
		Date:    received,
		UID:     uid,
		URL:     link.expand(uid, env.MessageID),
	}
	if m.Date.IsZero() {
		m.Date = env.Date
	}
	// A From of only a group ("undisclosed-recipients:;") names nobody:
	// then the Sender is who sent it.
	for _, list := range [][]imap.Address{env.From, env.Sender} {
		if a, ok := firstMailbox(list); ok {
			m.FromName = cleanText(a.Name)
			m.FromAddress = cleanText(a.Addr())
			break
		}
	}
	return m
}

// firstMailbox returns the first real address of list, skipping group
// markers and empty entries.
func firstMailbox(list []imap.Address) (imap.Address, bool) {
	for _, a := range list {
		if a.IsGroupStart() || a.IsGroupEnd() || (a.Mailbox == "" && a.Name == "") {
			continue
		}
		return a, true
	}
	return imap.Address{}, false
}

// cleanText makes header text safe to show on one line: valid UTF-8, no
// control characters (folded headers leave tabs and line breaks), no
// surrounding or repeated space.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	// Runs of space (a folded header, a kept encoded word) become one.
	return strings.Join(strings.Fields(s), " ")
}
