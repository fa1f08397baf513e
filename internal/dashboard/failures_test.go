package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// syncBuffer collects log lines written from Build's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// lines returns the JSON log records written so far.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A source that fails is logged once per user and kind with what IT needs
// (tenant, source, kind, upstream host, the upstream's answer) and without
// the password or the user's names; every failure is counted.
func TestFailedSourcesAreLoggedOncePerUserAndCounted(t *testing.T) {
	imap := testenv.Server(t, "PFORTE_TEST_IMAP_ADDR")
	caldav := testenv.Server(t, "PFORTE_TEST_CALDAV_URL")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens here now: connection refused

	tn := &config.Tenant{ID: "musterstadt", Location: time.UTC,
		Mail:     &config.Mail{IMAP: imap, TLS: "none"},
		Calendar: &config.DAV{URL: strings.TrimSuffix(caldav, "/") + "/{user}/"},
		Files:    &config.DAV{URL: "http://" + dead + "/remote.php/dav/files/{user}/"},
	}
	var buf syncBuffer
	reg := prometheus.NewRegistry()
	clock := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	fl := NewFailures(slog.New(slog.NewJSONHandler(&buf, nil)), reg, 15*time.Minute, 0, func() time.Time { return clock })
	src, err := SourcesFor(tn, nil, fl)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "wrong-Secret-4711"
	build := func(user User) Snapshot {
		local, _, _ := strings.Cut(user.Email, "@")
		return Build(context.Background(), src, 5*time.Second, Request{User: user, Now: clock,
			Creds: func(context.Context, string) (upstream.Credential, error) {
				return upstream.Credential{Username: local, Password: secret}, nil
			}})
	}
	alice := User{Name: "Alice Amsel", Email: "alice@musterstadt.example"}
	d := build(alice)
	if d.Mail.ErrorKind != "auth" || d.Calendar.ErrorKind != "auth" || d.Files.ErrorKind != "unreachable" {
		t.Fatalf("blocks: mail %+v calendar %+v files %+v", d.Mail.Block, d.Calendar.Block, d.Files.Block)
	}
	build(alice) // the next refresh a minute later fails the same way
	clock = clock.Add(time.Minute)
	build(alice)

	got := map[string]map[string]any{}
	for _, l := range buf.lines(t) {
		if l["msg"] != "dashboard: source failed" {
			continue
		}
		src, _ := l["source"].(string)
		if got[src] != nil {
			t.Errorf("%s failure logged twice for one user and kind within 15 minutes:\n%s", src, buf.String())
		}
		got[src] = l
	}
	want := map[string]struct{ kind, host, detail string }{
		"mail":     {"auth", imap, "AUTHENTICATIONFAILED"},
		"calendar": {"auth", strings.TrimPrefix(strings.TrimSuffix(caldav, "/"), "http://"), "HTTP 401"},
		"files":    {"unreachable", dead, "connection refused"},
	}
	for source, w := range want {
		l := got[source]
		if l == nil {
			t.Errorf("no log line for the failed %s source:\n%s", source, buf.String())
			continue
		}
		if l["tenant"] != "musterstadt" || l["kind"] != w.kind || l["upstream"] != w.host ||
			!strings.Contains(l["detail"].(string), w.detail) {
			t.Errorf("%s line %v, want tenant musterstadt, kind %s, upstream %s, detail with %q", source, l, w.kind, w.host, w.detail)
		}
		if n := counted(t, reg, "musterstadt", source, w.kind); n != 3 {
			t.Errorf("pforte_source_errors_total{%s,%s} = %v, want 3 (every failure counted)", source, w.kind, n)
		}
	}
	for _, private := range []string{secret, "alice", "Amsel"} {
		if strings.Contains(buf.String(), private) {
			t.Errorf("log holds %q:\n%s", private, buf.String())
		}
	}

	// Another user is logged on their own; alice again only after 15 minutes.
	before := len(buf.lines(t))
	build(User{Name: "Bob Buche", Email: "bob@musterstadt.example"})
	if n := len(buf.lines(t)) - before; n != 3 {
		t.Errorf("bob's first failures wrote %d lines, want 3", n)
	}
	clock = clock.Add(15 * time.Minute)
	before = len(buf.lines(t))
	build(alice)
	if n := len(buf.lines(t)) - before; n != 3 {
		t.Errorf("alice's failures after 15 minutes wrote %d lines, want 3 again", n)
	}
}

// When a server is down for everyone, the log gets at most the minute's
// burst of lines, and the next line says how many were left out.
func TestFailureLinesAreRateLimited(t *testing.T) {
	var buf syncBuffer
	clock := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	fl := NewFailures(slog.New(slog.NewJSONHandler(&buf, nil)), nil, 0, 5, func() time.Time { return clock })
	err := &upstream.Error{Source: "mail", Kind: upstream.KindUnreachable, Err: &net.OpError{Op: "dial", Net: "tcp", Err: errRefused{}}}
	for i := range 100 {
		fl.Report("t", "mail", "imap.example:993", User{Email: string(rune('a'+i%26)) + strings.Repeat("x", i) + "@x"}, err)
	}
	if n := len(buf.lines(t)); n != 5 {
		t.Fatalf("100 users' failures in one minute wrote %d lines, want the burst of 5", n)
	}
	clock = clock.Add(time.Minute)
	fl.Report("t", "mail", "imap.example:993", User{Email: "late@x"}, err)
	lines := buf.lines(t)
	if last := lines[len(lines)-1]; last["suppressed"] != float64(95) {
		t.Errorf("first line of the next minute: %v, want suppressed 95", last)
	}
}

type errRefused struct{}

func (errRefused) Error() string { return "connect: connection refused" }

// counted reads pforte_source_errors_total{tenant,source,kind} from reg.
func counted(t *testing.T, reg *prometheus.Registry, tenant, source, kind string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "pforte_source_errors_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["tenant"] == tenant && labels["source"] == source && labels["kind"] == kind {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// An event the calendar connector cannot read (BYDAY=+60MO; Radicale refuses BYDAY=XX) is skipped, and
// the tenant's log says so: SourcesFor hands the connector a logger.
func TestSkippedEventsReachTheLog(t *testing.T) {
	base := strings.TrimSuffix(testenv.Server(t, "PFORTE_TEST_CALDAV_URL"), "/")
	cred := userCred(t, "PFORTE_TEST_CALDAV_USERS", "alice")
	cal := base + "/alice/skip-" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "") + "/"
	dav := func(method, url, body string, want int) {
		t.Helper()
		davReq(t, cred, method, url, body, want)
	}
	dav("MKCALENDAR", cal, "", http.StatusCreated)
	t.Cleanup(func() { dav(http.MethodDelete, cal, "", http.StatusOK) })
	now := time.Date(2026, 10, 19, 8, 0, 0, 0, time.UTC)
	event := func(uid, rule string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pforte//Test//DE\r\nBEGIN:VEVENT\r\nUID:" + uid +
			"\r\nDTSTAMP:20261001T120000Z\r\nDTSTART:20261020T100000Z\r\nDTEND:20261020T110000Z\r\n" + rule +
			"SUMMARY:" + uid + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	dav(http.MethodPut, cal+"good.ics", event("good", ""), http.StatusCreated)
	dav(http.MethodPut, cal+"bad.ics", event("bad", "RRULE:FREQ=WEEKLY;BYDAY=+60MO\r\n"), http.StatusCreated)

	var buf syncBuffer
	fl := NewFailures(slog.New(slog.NewJSONHandler(&buf, nil)), nil, 0, 0, nil)
	src, err := SourcesFor(&config.Tenant{ID: "musterstadt", Location: time.UTC, Calendar: &config.DAV{URL: cal}}, nil, fl)
	if err != nil {
		t.Fatal(err)
	}
	d := Build(context.Background(), src, 5*time.Second, Request{Now: now,
		Creds: func(context.Context, string) (upstream.Credential, error) { return cred, nil }})
	if d.Calendar.Status != StatusOK || len(d.Calendar.Events) != 1 || d.Calendar.Events[0].Title != "good" {
		t.Fatalf("calendar block %+v, want ok with the readable event", d.Calendar)
	}
	var line map[string]any
	for _, l := range buf.lines(t) {
		if l["msg"] == "calendar: skipped unreadable events" {
			line = l
		}
	}
	if line == nil || line["tenant"] != "musterstadt" || line["skipped"] != float64(1) || !strings.Contains(fmt.Sprint(line["first"]), "byday") {
		t.Errorf("want a line for the skipped BYDAY=+60MO event with the tenant, got:\n%s", buf.String())
	}
}
