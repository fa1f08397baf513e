package sse

import (
	"net"
	"strconv"
	"sync"
	"time"
)

// Stream is one open event stream (one browser tab).
type Stream struct {
	hub     *Hub
	key     string
	conn    net.Conn
	data    any
	onClose func()
	end     time.Time

	mu     sync.Mutex // one write at a time; guards timer and closed
	timer  *time.Timer
	closed bool
}

// lastChunkWait bounds the write of the body's last chunk.
const lastChunkWait = 50 * time.Millisecond

var (
	pingEvent = []byte(": ping\n\n")
	lastChunk = []byte("0\r\n\r\n")
)

func helloEvent(retry time.Duration) []byte {
	return []byte("retry: " + strconv.FormatInt(retry.Milliseconds(), 10) + "\n: hello\n\n")
}

// frame appends ev to dst as one chunk of a chunked HTTP/1.1 body.
func frame(dst, ev []byte) []byte {
	dst = strconv.AppendInt(dst, int64(len(ev)), 16)
	dst = append(dst, '\r', '\n')
	dst = append(dst, ev...)
	return append(dst, '\r', '\n')
}

// framePool keeps chunk buffers between writes, so a waiting stream
// holds none.
var framePool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// write sends one event; a failed write ends the stream.
func (s *Stream) write(ev []byte) {
	bp := framePool.Get().(*[]byte)
	buf := frame((*bp)[:0], ev)
	s.mu.Lock()
	var err error = errClosedStream
	if !s.closed {
		err = s.writeRaw(buf)
	}
	s.mu.Unlock()
	*bp = buf
	framePool.Put(bp)
	if err != nil {
		s.Close()
	}
}

type streamError string

func (e streamError) Error() string { return string(e) }

const errClosedStream = streamError("sse: stream closed")

func (s *Stream) writeRaw(b []byte) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.hub.opts.WriteTimeout)); err != nil {
		return err
	}
	_, err := s.conn.Write(b)
	return err
}

// tick runs on the stream's timer: it ends the stream at its lifetime or
// when the peer has gone, and pings it otherwise.
func (s *Stream) tick() {
	if !time.Now().Before(s.end) || peerGone(s.conn) {
		s.Close()
		return
	}
	s.write(pingEvent)
	s.mu.Lock()
	if !s.closed {
		s.timer.Reset(s.hub.next(s.end))
	}
	s.mu.Unlock()
}

// Close ends the stream (the body's last chunk, then the connection) and
// runs its onClose once.
func (s *Stream) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
	// The body's end, if the socket takes it at once: a stalled reader
	// must not hold up a shutdown that closes thousands of streams.
	if s.conn.SetWriteDeadline(time.Now().Add(lastChunkWait)) == nil {
		_, _ = s.conn.Write(lastChunk)
	}
	_ = s.conn.Close()
	onClose := s.onClose
	s.mu.Unlock()
	s.hub.remove(s)
	if onClose != nil {
		onClose()
	}
}
