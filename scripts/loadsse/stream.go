package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// stream is one tab's EventSource: it reconnects after the server ends it
// and notes when the first "announcement" event arrived.
type stream struct {
	addr, host, cookie string
	connected          atomic.Bool
	got                atomic.Int64 // unix nanoseconds of the announcement, 0 before
	refused            atomic.Int64 // answers other than 200
}

// hold keeps the stream open until ctx ends; ready is called once, when
// the first attempt connected or failed.
func (s *stream) hold(ctx context.Context, ready func()) {
	var once sync.Once
	for ctx.Err() == nil {
		s.once(ctx, func() { once.Do(ready) })
		once.Do(ready) // a refused first attempt must not hold up the others either
		s.connected.Store(false)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second): // the retry the server announces
		}
	}
	once.Do(ready)
}

func (s *stream) once(ctx context.Context, ready func()) {
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		s.refused.Add(1)
		return
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	fmt.Fprintf(conn, "GET /api/announcements/stream HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nAccept: text/event-stream\r\n\r\n", s.host, s.cookie)
	r := bufio.NewReaderSize(conn, 1024)
	status, err := r.ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		s.refused.Add(1)
		return
	}
	for { // headers
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if line == "\r\n" {
			break
		}
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch {
		case strings.HasPrefix(line, "retry:") || strings.Contains(line, ": hello"):
			s.connected.Store(true)
			ready()
		case strings.HasPrefix(line, "event: announcement"):
			s.got.CompareAndSwap(0, time.Now().UnixNano())
		}
	}
}
