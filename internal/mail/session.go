package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// session is one connection of one Fetch, bound to the caller's context.
type session struct {
	ctx  context.Context
	conn *ctxConn
	ic   *imapclient.Client
	stop func() bool // detaches the close-on-cancel hook

	bearerMechs []string
}

// dial connects, secures the connection as configured and waits for the
// server's greeting.
func (c *Client) dial(ctx context.Context) (*session, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", c.opts.Addr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, upstream.Wrap(source, upstream.KindTimeout, fmt.Errorf("mail: connect: %w", ctx.Err()))
		}
		return nil, upstream.Wrap(source, upstream.KindUnreachable, fmt.Errorf("mail: connect: %w", err))
	}
	deadline, _ := ctx.Deadline()
	s := &session{ctx: ctx, conn: newCtxConn(raw, deadline), bearerMechs: c.bearerMechs}
	// Deadlines cover a context that expires; closing covers one that is
	// cancelled, and unblocks whatever go-imap is waiting for.
	s.stop = context.AfterFunc(ctx, func() { _ = raw.Close() })

	opts := &imapclient.Options{WordDecoder: c.decoder}
	switch c.opts.TLS {
	case TLSImplicit:
		cfg := c.tlsConfig()
		cfg.NextProtos = []string{"imap"}
		tc := tls.Client(s.conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			s.close()
			return nil, s.failAs("tls", err, upstream.KindUnreachable)
		}
		s.ic = imapclient.New(tc, opts)
	case TLSStartTLS:
		opts.TLSConfig = c.tlsConfig()
		ic, err := imapclient.NewStartTLS(s.conn, opts)
		if err != nil {
			s.close()
			return nil, s.failAs("starttls", err, upstream.KindUnreachable)
		}
		s.ic = ic
	default:
		s.ic = imapclient.New(s.conn, opts)
	}
	if err := s.ic.WaitGreeting(); err != nil {
		s.close()
		return nil, s.fail("greeting", err, upstream.KindUnreachable)
	}
	return s, nil
}

func (c *Client) tlsConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.opts.TLSConfig != nil {
		cfg = c.opts.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = c.host
	}
	return cfg
}

// logoutWait bounds how long a finished Fetch waits for the server to
// acknowledge LOGOUT: the answer is already known by then.
const logoutWait = time.Second

// logout says goodbye politely; close still has to follow, and also ends
// the wait when the server does not answer.
func (s *session) logout() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.ic.Logout().Wait()
	}()
	t := time.NewTimer(logoutWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// close drops the connection and the context hook. It is safe to call twice.
func (s *session) close() {
	if s.ic != nil {
		_ = s.ic.Close()
	} else {
		_ = s.conn.Close()
	}
	s.stop()
}

// fail classifies err from step: an expired or cancelled context is
// KindTimeout, a network failure KindUnreachable (or KindTimeout), a
// NO/BAD reply from the server replyKind, and anything else a reply
// go-imap could not parse, KindBadData.
func (s *session) fail(step string, err error, replyKind upstream.Kind) error {
	if ctxErr := s.ctx.Err(); ctxErr != nil {
		return upstream.Wrap(source, upstream.KindTimeout, fmt.Errorf("mail: %s: %w", step, ctxErr))
	}
	var reply *imap.Error
	if errors.As(err, &reply) {
		if reply.Code == imap.ResponseCodeUnavailable {
			replyKind = upstream.KindUnreachable // e.g. the token introspection endpoint is down
		}
		return upstream.Wrap(source, replyKind, fmt.Errorf("mail: %s: %w", step, err))
	}
	if netErr := s.conn.networkErr(); netErr != nil {
		// Wrap keeps a network timeout as KindTimeout.
		return upstream.Wrap(source, upstream.KindUnreachable, fmt.Errorf("mail: %s: %w", step, netErr))
	}
	return upstream.Wrap(source, upstream.KindBadData, fmt.Errorf("mail: %s: %w", step, err))
}

// failAs is fail for steps where every failure but a timeout has one kind.
func (s *session) failAs(step string, err error, kind upstream.Kind) error {
	if ctxErr := s.ctx.Err(); ctxErr != nil {
		return upstream.Wrap(source, upstream.KindTimeout, fmt.Errorf("mail: %s: %w", step, ctxErr))
	}
	if netErr := s.conn.networkErr(); netErr != nil {
		err = netErr
	}
	return upstream.Wrap(source, kind, fmt.Errorf("mail: %s: %w", step, err))
}
