package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownGrace is how long close lets running requests finish.
const shutdownGrace = 5 * time.Second

// httpServer is the demo's CalDAV and WebDAV server on a free port of
// 127.0.0.1.
type httpServer struct {
	addr  string
	srv   *http.Server
	serve sync.WaitGroup
}

func startHTTP(h http.Handler, logger *slog.Logger) (*httpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: start dav: %w", err)
	}
	s := &httpServer{
		addr: ln.Addr().String(),
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       time.Minute,
			ErrorLog:          slog.NewLogLogger(logger.With("server", "dav").Handler(), slog.LevelWarn),
		},
	}
	s.serve.Add(1)
	go func() {
		defer s.serve.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("demo dav server stopped", "err", err)
		}
	}()
	return s, nil
}

// close lets running requests finish for a moment, then cuts them off.
func (s *httpServer) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	s.serve.Wait()
	if err != nil {
		return fmt.Errorf("demo: stop dav: %w", err)
	}
	return nil
}
