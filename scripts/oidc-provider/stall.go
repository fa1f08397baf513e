package main

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// stalls makes the token endpoint hang for chosen refresh tokens, the way a
// provider under load or behind a broken network path does: the request is
// read and never answered until the client gives up (or maxStall passes).
// Scoped to one refresh token so tests running at the same time are not
// affected.
type stalls struct {
	mu       sync.Mutex
	tokens   map[string]*stallCount
	next     http.Handler
	maxStall time.Duration
}

type stallCount struct{ seen, abandoned int }

func newStalls(next http.Handler) *stalls {
	return &stalls{tokens: map[string]*stallCount{}, next: next, maxStall: time.Minute}
}

// ServeHTTP stalls refresh grants of registered tokens, passes the rest on.
func (s *stalls) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/oauth/token" {
		if err := r.ParseForm(); err == nil && r.PostForm.Get("grant_type") == "refresh_token" {
			s.mu.Lock()
			c := s.tokens[r.PostForm.Get("refresh_token")]
			if c != nil {
				c.seen++
			}
			s.mu.Unlock()
			if c != nil {
				select {
				case <-r.Context().Done():
					s.mu.Lock()
					c.abandoned++
					s.mu.Unlock()
				case <-time.After(s.maxStall):
				}
				http.Error(w, "stalled", http.StatusServiceUnavailable)
				return
			}
		}
	}
	s.next.ServeHTTP(w, r)
}

// control is /test/stall-refresh (loopback only): POST refresh_token=X
// stalls that token's refreshes; GET ?refresh_token=X answers
// "seen N abandoned M": how many refreshes arrived and how many the client
// gave up on.
func (s *stalls) control() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !fromLoopback(r) {
			http.Error(w, "loopback only", http.StatusForbidden)
			return
		}
		tok := r.FormValue("refresh_token")
		if tok == "" {
			http.Error(w, "refresh_token is required", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.tokens[tok]
		if r.Method == http.MethodPost && c == nil {
			c = &stallCount{}
			s.tokens[tok] = c
		}
		if c == nil {
			c = &stallCount{}
		}
		fmt.Fprintf(w, "seen %d abandoned %d\n", c.seen, c.abandoned)
	})
}
