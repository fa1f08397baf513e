package mail

import (
	"errors"
	"net"
	"sync"
	"time"
)

// ctxConn is the network connection of one Fetch. It caps every deadline
// go-imap sets (it sets its own 30 s ones, and none while idle) at the
// deadline of the caller's context, and remembers the first error the
// network itself returned, so a failure can be told apart from a reply
// go-imap could not parse.
type ctxConn struct {
	net.Conn
	deadline time.Time // zero when the context has none

	mu    sync.Mutex
	ioErr error
}

func newCtxConn(conn net.Conn, deadline time.Time) *ctxConn {
	c := &ctxConn{Conn: conn, deadline: deadline}
	if !deadline.IsZero() {
		_ = conn.SetDeadline(deadline)
	}
	return c
}

func (c *ctxConn) capped(t time.Time) time.Time {
	if c.deadline.IsZero() {
		return t
	}
	if t.IsZero() || t.After(c.deadline) {
		return c.deadline
	}
	return t
}

// SetDeadline implements net.Conn, never later than the context's deadline.
func (c *ctxConn) SetDeadline(t time.Time) error { return c.Conn.SetDeadline(c.capped(t)) }

// SetReadDeadline implements net.Conn, never later than the context's deadline.
func (c *ctxConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.capped(t)) }

// SetWriteDeadline implements net.Conn, never later than the context's deadline.
func (c *ctxConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.capped(t)) }

// Read implements net.Conn and records a network failure.
func (c *ctxConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.record(err)
	return n, err
}

// Write implements net.Conn and records a network failure.
func (c *ctxConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.record(err)
	return n, err
}

func (c *ctxConn) record(err error) {
	if err == nil || errors.Is(err, net.ErrClosed) {
		return // our own Close is no failure of the network
	}
	c.mu.Lock()
	if c.ioErr == nil {
		c.ioErr = err
	}
	c.mu.Unlock()
}

// networkErr returns the first error the network returned, if any.
func (c *ctxConn) networkErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ioErr
}
