package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// imapServer is the demo's IMAP server on a free port of 127.0.0.1.
//
// go-imap's Server.Close closes connections but does not wait for their
// goroutines, so connections are tracked here: close stops accepting,
// closes every connection and waits until each one's goroutine has closed
// it for good.
type imapServer struct {
	addr   string
	srv    *imapserver.Server
	ln     net.Listener
	serveW sync.WaitGroup // the accept loop
	connW  sync.WaitGroup // one per accepted connection

	mu    sync.Mutex
	conns map[*trackedConn]struct{}
}

// startIMAP serves mem without TLS: the server is reachable from this host
// only, and the demo's mail connector uses TLS "none".
func startIMAP(mem *imapmemserver.Server, logger *slog.Logger) (*imapServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: start imap: %w", err)
	}
	s := &imapServer{addr: ln.Addr().String(), conns: make(map[*trackedConn]struct{})}
	s.ln = &trackingListener{Listener: ln, s: s}
	s.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps: imap.CapSet{
			imap.CapIMAP4rev1: {},
			imap.CapIMAP4rev2: {},
		},
		Logger:       slogPrintf{logger.With("server", "imap")},
		InsecureAuth: true,
	})
	s.serveW.Add(1)
	go func() {
		defer s.serveW.Done()
		if err := s.srv.Serve(s.ln); err != nil {
			logger.Error("demo imap server stopped", "err", err)
		}
	}()
	return s, nil
}

func (s *imapServer) close() error {
	err := s.ln.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	s.serveW.Wait()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Conn.Close() // the connection's goroutine then ends and calls Close
	}
	s.mu.Unlock()
	s.connW.Wait()
	// Nothing is left to close; this only marks the server closed.
	_ = s.srv.Close()
	if err != nil {
		return fmt.Errorf("demo: stop imap: %w", err)
	}
	return nil
}

// trackingListener registers every accepted connection with its server.
type trackingListener struct {
	net.Listener
	s *imapServer
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, s: l.s}
	l.s.mu.Lock()
	l.s.conns[tc] = struct{}{}
	l.s.connW.Add(1)
	l.s.mu.Unlock()
	return tc, nil
}

// trackedConn reports its first Close, which go-imap makes as the last
// thing a connection's goroutine does (or on LOGOUT just before it ends).
type trackedConn struct {
	net.Conn
	s    *imapServer
	once sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
		c.s.connW.Done()
	})
	return err
}

// slogPrintf lets go-imap's Printf-style error log reach slog.
type slogPrintf struct{ l *slog.Logger }

func (p slogPrintf) Printf(format string, args ...any) {
	p.l.Log(context.Background(), slog.LevelWarn, fmt.Sprintf(format, args...))
}
