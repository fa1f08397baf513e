package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The IMAP counter counts the commands Dovecot completed: six here, sent
// in one write (pipelined), with a literal in APPEND and a FETCH answer
// whose literal holds lines that look like tagged replies. A counter that
// read literals as lines would count those too.
func TestIMAPCounterCountsWhatDovecotCompleted(t *testing.T) {
	upstream := testenv.Server(t, "PFORTE_TEST_IMAP_ADDR")
	master := strings.SplitN(testenv.Server(t, "PFORTE_TEST_IMAP_MASTER"), ":", 2)
	c := newCounter()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go serveIMAP(c, "imap", ln, upstream)

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	user := fmt.Sprintf("counter%d*%s", time.Now().UnixNano(), master[0])
	msg := "Subject: trap\r\n\r\nz1 OK looks tagged\r\nz2 BAD also\r\n"
	script := fmt.Sprintf("a1 LOGIN %q %q\r\na2 APPEND INBOX {%d+}\r\n%s\r\na3 NOOP\r\n"+
		"a4 EXAMINE INBOX\r\na5 FETCH 1:* (BODY.PEEK[])\r\na6 LOGOUT\r\n", user, master[1], len(msg), msg)
	if _, err := conn.Write([]byte(script)); err != nil {
		t.Fatal(err)
	}
	// Read until Dovecot completed the last command; every tag must be OK.
	sc := bufio.NewScanner(conn)
	oks := 0
	for sc.Scan() {
		line := sc.Text()
		if len(line) > 3 && line[0] == 'a' && line[2] == ' ' {
			if !strings.HasPrefix(line[3:], "OK") {
				t.Fatalf("Dovecot refused a command: %s", line)
			}
			oks++
			if strings.HasPrefix(line, "a6 ") {
				break
			}
		}
	}
	if oks != 6 {
		t.Fatalf("saw %d completions (scan err %v), want 6", oks, sc.Err())
	}
	got := c.snapshot(false)["imap"]
	if got["commands"] != 6 || got["status_OK"] != 6 || got["connections"] != 1 {
		t.Errorf("counter = %v, want 6 commands, 6 OK, 1 connection", got)
	}
}

// The HTTP counter counts each request Radicale answered, by method, over
// kept-alive connections.
func TestHTTPCounterCountsWhatRadicaleAnswered(t *testing.T) {
	base, err := url.Parse(testenv.Server(t, "PFORTE_TEST_CALDAV_URL"))
	if err != nil {
		t.Fatal(err)
	}
	c := newCounter()
	srv := httptest.NewServer(httpProxy(c, "caldav", base))
	defer srv.Close()
	send := func(method, path, depth string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(`<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>`))
		req.SetBasicAuth("alice", "alice-pw")
		req.Header.Set("Depth", depth)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := 0; i < 3; i++ {
		if code := send("PROPFIND", "/alice/", "1"); code != http.StatusMultiStatus {
			t.Fatalf("PROPFIND: %d, want 207 from Radicale", code)
		}
	}
	if code := send("GET", "/alice/no-such-thing.ics", "0"); code != http.StatusNotFound {
		t.Fatalf("GET: %d, want 404 from Radicale", code)
	}
	got := c.snapshot(true)["caldav"]
	if got["PROPFIND"] != 3 || got["GET"] != 1 || len(got) != 3 || got["busy_us"] <= 0 {
		t.Errorf("counter = %v, want PROPFIND 3, GET 1 and the time they took", got)
	}
	if after := c.snapshot(false); len(after) != 0 {
		t.Errorf("after reset: %v, want nothing", after)
	}
}
