package mail

import (
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// imapServer is one kind of IMAP server in the test stack.
type imapServer struct {
	name               string // "dovecot", "cyrus"
	addr               string
	master, masterPass string
	// style is the master login the server takes: Dovecot both, Cyrus
	// only the authorisation identity.
	style string
}

// imapServers are every kind of IMAP server in the stack: Dovecot
// (30-dovecot.sh) and Cyrus (35-cyrus.sh), for table tests.
func imapServers(t testing.TB) []imapServer {
	t.Helper()
	var out []imapServer
	for _, s := range []struct{ name, prefix, style string }{
		{"dovecot", "PFORTE_TEST_IMAP", "separator"},
		{"cyrus", "PFORTE_TEST_CYRUS", "authzid"},
	} {
		master, pw, _ := strings.Cut(testenv.Server(t, s.prefix+"_MASTER"), ":")
		out = append(out, imapServer{name: s.name, addr: testenv.Server(t, s.prefix+"_ADDR"), master: master, masterPass: pw, style: s.style})
	}
	return out
}

// fresh returns a master login, in the server's style, into a mailbox no
// other test uses (both servers create an INBOX at first login).
func (s imapServer) fresh(t testing.TB) upstream.Credential {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := strings.NewReplacer("/", "-", " ", "-", "*", "-", "+", "-").Replace(strings.ToLower(t.Name()))
	user := fmt.Sprintf("t-%s-%x", name, b)
	if s.style == "authzid" {
		return AuthzIDCredential(user, s.master, s.masterPass)
	}
	return MasterCredential(user, s.master, s.masterPass, "")
}

// client returns a Client for the server (plain IMAP on 127.0.0.1).
func (s imapServer) client(t testing.TB, opts Options) *Client {
	t.Helper()
	opts.Addr, opts.TLS = s.addr, TLSNone
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
