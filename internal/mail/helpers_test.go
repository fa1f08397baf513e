package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// imapAddr is the address of the stack's Dovecot.
func imapAddr(t testing.TB) string {
	t.Helper()
	return testenv.Server(t, "PFORTE_TEST_IMAP_ADDR")
}

// pairs parses "a:x,b:y" (PFORTE_TEST_IMAP_USERS and friends).
func pairs(t testing.TB, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range strings.Split(testenv.Server(t, name), ",") {
		user, pw, ok := strings.Cut(p, ":")
		if !ok {
			t.Fatalf("%s: %q is not user:password", name, p)
		}
		out[user] = pw
	}
	return out
}

// userCredential is the password login of one of the stack's users.
func userCredential(t testing.TB, user string) upstream.Credential {
	t.Helper()
	pw, ok := pairs(t, "PFORTE_TEST_IMAP_USERS")[user]
	if !ok {
		t.Fatalf("PFORTE_TEST_IMAP_USERS has no %s", user)
	}
	return upstream.Credential{Username: user, Password: pw}
}

// masterLogin returns the stack's master user and password.
func masterLogin(t testing.TB) (user, password string) {
	t.Helper()
	user, password, ok := strings.Cut(testenv.Server(t, "PFORTE_TEST_IMAP_MASTER"), ":")
	if !ok {
		t.Fatal("PFORTE_TEST_IMAP_MASTER is not user:password")
	}
	return user, password
}

// freshMailbox returns a master login into a mailbox no other test uses:
// the stack's static userdb knows every name, so each test gets its own
// empty INBOX and exact counts hold even with other tests running.
func freshMailbox(t testing.TB) upstream.Credential {
	t.Helper()
	master, pw := masterLogin(t)
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := strings.NewReplacer("/", "-", " ", "-", "*", "-").Replace(t.Name())
	return MasterCredential(fmt.Sprintf("t-%s-%x", strings.ToLower(name), b), master, pw, "")
}

// newClient returns a Client for the stack's Dovecot (plain IMAP on
// 127.0.0.1, as in STACK.md).
func newClient(t testing.TB, opts Options) *Client {
	t.Helper()
	opts.Addr = imapAddr(t)
	opts.TLS = TLSNone
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mail is one message to seed into a mailbox.
type mail struct {
	From, Subject string // raw header values, RFC 2047 words as sent
	Date          time.Time
	Received      time.Time // INTERNALDATE
	MessageID     string    // with angle brackets; generated when empty
	Seen          bool
	Headers       string // more raw header lines, each ending in CRLF
}

func (m mail) raw() string {
	id := m.MessageID
	if id == "" {
		id = "<" + randomHex() + "@test.pforte.example>"
	}
	subject := ""
	if m.Subject != "" {
		subject = "Subject: " + m.Subject + "\r\n"
	}
	return "From: " + m.From + "\r\n" + m.Headers +
		"To: Empfang <empfang@stadt.example>\r\n" + subject +
		"Date: " + m.Date.Format(time.RFC1123Z) + "\r\n" +
		"Message-ID: " + id + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"Guten Tag,\r\nbitte beachten Sie die Anlage.\r\n"
}

func randomHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// seed APPENDs msgs to cred's INBOX in order and returns their UIDs.
func seed(t testing.TB, cred upstream.Credential, msgs ...mail) []uint32 {
	t.Helper()
	return seedAt(t, imapAddr(t), cred, msgs...)
}

// seedAt is seed on the IMAP server at addr; an authzid credential signs
// in with SASL PLAIN.
func seedAt(t testing.TB, addr string, cred upstream.Credential, msgs ...mail) []uint32 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ic, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	defer ic.Close()
	stop := context.AfterFunc(ctx, func() { ic.Close() })
	defer stop()
	if cred.AuthzID != "" {
		err = ic.Authenticate(sasl.NewPlainClient(cred.AuthzID, cred.Username, cred.Password))
	} else {
		err = ic.Login(cred.Username, cred.Password).Wait()
	}
	if err != nil {
		t.Fatalf("seed: login: %v", err)
	}
	uids := make([]uint32, 0, len(msgs))
	for _, m := range msgs {
		raw := m.raw()
		opts := &imap.AppendOptions{Time: m.Received}
		if m.Seen {
			opts.Flags = []imap.Flag{imap.FlagSeen}
		}
		cmd := ic.Append(inbox, int64(len(raw)), opts)
		if _, err := cmd.Write([]byte(raw)); err != nil {
			t.Fatalf("seed: append: %v", err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatalf("seed: append: %v", err)
		}
		data, err := cmd.Wait()
		if err != nil {
			t.Fatalf("seed: append: %v", err)
		}
		uids = append(uids, uint32(data.UID))
	}
	_ = ic.Logout().Wait()
	return uids
}

// wantKind fails t unless err is an *upstream.Error of kind from "mail".
func wantKind(t testing.TB, err error, kind upstream.Kind) *upstream.Error {
	t.Helper()
	ue, ok := err.(*upstream.Error)
	if !ok {
		t.Fatalf("error %v (%T): want *upstream.Error of kind %s", err, err, kind)
	}
	if ue.Source != "mail" || ue.Kind != kind {
		t.Fatalf("error %v: source %q kind %q, want mail %q", err, ue.Source, ue.Kind, kind)
	}
	t.Logf("got %v", err)
	return ue
}
