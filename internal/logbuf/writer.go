// Package logbuf batches log output: each request logs a line, and one
// write system call per line cost a busy instance about a quarter of its
// CPU per request and most of its latency tail (docs/benchmarks.md).
//
// Writer is a group commit: a line is appended to memory and a flusher
// goroutine is woken; it writes everything that has gathered by the time it
// runs in one call. When the instance is idle that is at once (one line per
// write, as before); under load many lines share a write. Nothing waits on
// a timer, lines keep their order, and Close writes what is left.
package logbuf

import (
	"io"
	"sync"
)

// maxPending is how much may wait for the flusher; beyond it the writing
// goroutine writes itself, so a stalled log reader slows requests down
// (as an unbuffered log would) instead of filling memory.
const maxPending = 1 << 20

// Writer is an io.Writer for slog handlers (each Write is whole lines).
type Writer struct {
	out io.Writer

	mu      sync.Mutex // guards pending and closed
	pending []byte
	closed  bool

	outMu sync.Mutex // one write to out at a time, in order
	spare []byte     // the buffer last written, reused (under outMu)

	wake chan struct{}
	done chan struct{}
}

// New starts a Writer on out; Close stops it.
func New(out io.Writer) *Writer {
	w := &Writer{out: out, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.flusher()
	return w
}

// Write queues p (a copy) for the flusher.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		w.outMu.Lock()
		defer w.outMu.Unlock()
		return w.out.Write(p)
	}
	w.pending = append(w.pending, p...)
	full := len(w.pending) >= maxPending
	if !full {
		select { // under mu: Close cannot close wake meanwhile
		case w.wake <- struct{}{}:
		default: // the flusher is already due
		}
	}
	w.mu.Unlock()
	if full {
		return len(p), w.Flush()
	}
	return len(p), nil
}

// Flush writes everything queued so far.
func (w *Writer) Flush() error {
	w.outMu.Lock()
	defer w.outMu.Unlock()
	w.mu.Lock()
	buf := w.pending
	w.pending = w.spare[:0]
	w.mu.Unlock()
	w.spare = buf
	if len(buf) == 0 {
		return nil
	}
	_, err := w.out.Write(buf)
	return err
}

// Close writes what is queued, stops the flusher and makes later writes
// direct.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.wake)
	w.mu.Unlock()
	<-w.done
	return w.Flush()
}

func (w *Writer) flusher() {
	defer close(w.done)
	for range w.wake {
		_ = w.Flush() // a log that cannot be written has nowhere to report it
	}
}
