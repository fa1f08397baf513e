package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// counter keeps what each upstream really saw, per source and kind:
// IMAP commands the server completed, HTTP requests by method,
// connections opened to the upstream, and busy_us: the summed time of HTTP
// exchanges and IMAP connections (where a cold build's time goes).
type counter struct {
	mu sync.Mutex
	n  map[string]map[string]int64
}

func newCounter() *counter { return &counter{n: map[string]map[string]int64{}} }

func (c *counter) add(source, kind string, d int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[source] == nil {
		c.n[source] = map[string]int64{}
	}
	c.n[source][kind] += d
}

// snapshot returns a copy of the counts and, when reset is set, starts over.
func (c *counter) snapshot(reset bool) map[string]map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]map[string]int64, len(c.n))
	for s, m := range c.n {
		out[s] = make(map[string]int64, len(m))
		for k, v := range m {
			out[s][k] = v
		}
	}
	if reset {
		c.n = map[string]map[string]int64{}
	}
	return out
}

// ServeHTTP answers GET /counts with the counts as JSON; ?reset=1 also
// resets them.
func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(c.snapshot(r.URL.Query().Get("reset") == "1"))
}

// httpProxy forwards to target and counts each request by method, the way
// the upstream's request log lists them.
func httpProxy(c *counter, source string, target *url.URL) http.Handler {
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 256}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.add(source, r.Method, 1)
		t := time.Now()
		rp.ServeHTTP(w, r)
		c.add(source, "busy_us", time.Since(t).Microseconds())
	})
}

// serveIMAP accepts IMAP clients on ln and relays each to upstream,
// counting the commands the server completed: its tagged status lines
// ("a1 OK …", "a1 NO …", "a1 BAD …"). Counting the server's answers, not the
// client's lines, gets SASL continuations and literals right: only what the
// server treated as one command is counted once.
func serveIMAP(c *counter, source string, ln net.Listener, upstream string) {
	for {
		down, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer down.Close()
			up, err := net.Dial("tcp", upstream)
			if err != nil {
				c.add(source, "dial_errors", 1)
				return
			}
			defer up.Close()
			c.add(source, "connections", 1)
			t := time.Now()
			defer func() { c.add(source, "busy_us", time.Since(t).Microseconds()) }()
			go func() {
				_, _ = io.Copy(up, down)
				_ = up.(*net.TCPConn).CloseWrite()
			}()
			_, _ = io.Copy(down, &tagCounter{r: bufio.NewReaderSize(up, 64<<10), onTagged: func(verb string) {
				c.add(source, "commands", 1)
				c.add(source, "status_"+verb, 1)
			}})
		}()
	}
}

// tagCounter passes the server's bytes through unchanged while it splits
// them into lines, skipping literals ({N}\r\n followed by N bytes), and
// reports the status (OK, NO, BAD) of each tagged line.
type tagCounter struct {
	r        *bufio.Reader
	onTagged func(status string)
	literal  int64 // bytes of a literal still to pass
	cont     bool  // the next bytes continue a line (after a literal or a long chunk)
	pending  []byte
	line     []byte
}

func (t *tagCounter) Read(p []byte) (int, error) {
	if len(t.pending) > 0 {
		n := copy(p, t.pending)
		t.pending = t.pending[n:]
		return n, nil
	}
	if t.literal > 0 {
		n := min(int64(len(p)), t.literal)
		m, err := t.r.Read(p[:n])
		t.literal -= int64(m)
		return m, err
	}
	chunk, err := t.r.ReadSlice('\n')
	line := append([]byte(nil), chunk...)
	switch {
	case err == bufio.ErrBufferFull:
		t.cont, err = true, nil // a line longer than the buffer is never a tagged one
	case len(line) > 0 && line[len(line)-1] == '\n':
		t.endLine(line)
	}
	if len(line) == 0 {
		return 0, err
	}
	n := copy(p, line)
	t.pending = line[n:]
	if len(t.pending) > 0 {
		return n, nil
	}
	return n, err
}

// endLine looks at the end of a line: unless it continues one, a line whose
// first word is neither "*" nor "+" is a tagged completion; a literal
// announced at its end makes the next bytes opaque and the line go on.
func (t *tagCounter) endLine(line []byte) {
	trimmed := bytes.TrimRight(line, "\r\n")
	if !t.cont {
		fields := bytes.Fields(trimmed)
		if len(fields) >= 2 && string(fields[0]) != "*" && string(fields[0]) != "+" {
			t.onTagged(string(bytes.ToUpper(fields[1])))
		}
	}
	n, ok := literalSize(trimmed)
	t.literal, t.cont = n, ok
}

// literalSize parses a trailing {N} (or {N+}) of an IMAP line.
func literalSize(line []byte) (int64, bool) {
	if len(line) < 3 || line[len(line)-1] != '}' {
		return 0, false
	}
	i := bytes.LastIndexByte(line, '{')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.TrimSuffix(line[i+1:len(line)-1], []byte("+"))), 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
