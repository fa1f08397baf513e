package mail

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

func TestFetchWrongPasswordIsAuth(t *testing.T) {
	t.Parallel()
	cred := userCredential(t, "alice")
	cred.Password = "not-" + cred.Password
	_, err := newClient(t, Options{}).Fetch(context.Background(), cred)
	wantKind(t, err, upstream.KindAuth)
	if strings.Contains(err.Error(), cred.Password) {
		t.Errorf("error %q reveals the password", err)
	}
}

func TestFetchMasterUserReadsUsersMailbox(t *testing.T) {
	t.Parallel()
	subject := "Nur für Alice " + randomHex()
	seed(t, userCredential(t, "alice"), mail{From: "Personalamt <personal@stadt.example>", Subject: subject,
		Date: time.Now(), Received: time.Now()})
	master, pw := masterLogin(t)
	c := newClient(t, Options{Limit: 50}) // other tests may add to alice's INBOX too

	got, err := c.Fetch(context.Background(), MasterCredential("alice", master, pw, ""))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range got.Messages {
		found = found || m.Subject == subject
	}
	if !found || got.Unread < 1 {
		t.Errorf("master login as alice: %d unread, %+v: want the message %q", got.Unread, got.Messages, subject)
	}

	t.Run("wrong master password", func(t *testing.T) {
		_, err := c.Fetch(context.Background(), MasterCredential("alice", master, "not-"+pw, ""))
		wantKind(t, err, upstream.KindAuth)
		if strings.Contains(err.Error(), "not-"+pw) {
			t.Errorf("error %q reveals the password", err)
		}
	})
	t.Run("user name smuggling a second master login", func(t *testing.T) {
		_, err := c.Fetch(context.Background(), MasterCredential("alice*"+master, master, pw, ""))
		wantKind(t, err, upstream.KindAuth)
	})
	t.Run("user name smuggling SASL fields", func(t *testing.T) {
		_, err := c.Fetch(context.Background(), upstream.Credential{Username: "bob\x01auth=Bearer x", Token: "t"})
		wantKind(t, err, upstream.KindAuth)
	})
}

func TestFetchWithoutCredentialIsNotSetUp(t *testing.T) {
	t.Parallel()
	_, err := newClient(t, Options{}).Fetch(context.Background(), upstream.Credential{Username: "alice"})
	wantKind(t, err, upstream.KindNotSetUp)
}

// silentServer accepts connections and never says a word, like a
// firewall that swallows the session or a hung server.
func silentServer(t *testing.T) string {
	t.Helper()
	return fakeServer(t, func(net.Conn) {})
}

// fakeServer runs greet on every accepted connection and keeps it open
// until the test ends. It stands in for the wrong server behind the
// configured port, never for an IMAP server.
func fakeServer(t *testing.T, greet func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			greet(conn)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

func TestFetchSilentServerTimesOutWithContext(t *testing.T) {
	t.Parallel()
	addr := silentServer(t)
	cred := upstream.Credential{Username: "alice", Password: "alice-pw"}
	for _, mode := range []string{TLSNone, TLSImplicit, TLSStartTLS} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			c, err := New(Options{Addr: addr, TLS: mode})
			if err != nil {
				t.Fatal(err)
			}
			t.Run("deadline", func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
				defer cancel()
				start := time.Now()
				_, err := c.Fetch(ctx, cred)
				wantKind(t, err, upstream.KindTimeout)
				// go-imap would wait 30 s for a greeting on its own; the
				// dashboard must get its answer when its deadline passes.
				if waited := time.Since(start); waited > 10*time.Second {
					t.Errorf("Fetch returned after %v, long after the 200ms deadline", waited)
				}
			})
			t.Run("cancel", func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(200*time.Millisecond, cancel)
				_, err := c.Fetch(ctx, cred)
				wantKind(t, err, upstream.KindTimeout)
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v: want context.Canceled inside", err)
				}
			})
		})
	}
}

func TestFetchServerHangingAfterGreetingTimesOut(t *testing.T) {
	t.Parallel()
	addr := fakeServer(t, func(conn net.Conn) {
		_, _ = conn.Write([]byte("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"))
	})
	c, err := New(Options{Addr: addr, TLS: TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Fetch(ctx, upstream.Credential{Username: "alice", Password: "alice-pw"})
	wantKind(t, err, upstream.KindTimeout)
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("Fetch returned after %v, long after the 200ms deadline", waited)
	}
}

func TestFetchClosedPortIsUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	for _, addr := range []string{addr, "imap.pforte.invalid:993"} {
		c, err := New(Options{Addr: addr, TLS: TLSNone})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = c.Fetch(ctx, upstream.Credential{Username: "alice", Password: "alice-pw"})
		cancel()
		wantKind(t, err, upstream.KindUnreachable)
	}
}

func TestFetchNonIMAPServerIsBadData(t *testing.T) {
	t.Parallel()
	addr := fakeServer(t, func(conn net.Conn) {
		_, _ = conn.Write([]byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
	})
	c, err := New(Options{Addr: addr, TLS: TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.Fetch(ctx, upstream.Credential{Username: "alice", Password: "alice-pw"})
	wantKind(t, err, upstream.KindBadData)
}

func TestFetchStartTLSRefusedNeverSendsPassword(t *testing.T) {
	t.Parallel()
	// The stack's Dovecot runs with ssl = no, so it offers no STARTTLS: a
	// client configured for STARTTLS must stop before logging in.
	c, err := New(Options{Addr: imapAddr(t), TLS: TLSStartTLS})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Fetch(context.Background(), userCredential(t, "alice"))
	wantKind(t, err, upstream.KindUnreachable)
}
