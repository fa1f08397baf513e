package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// monday is the injected "now": Monday 19 October 2026, 08:00 in Berlin.
// With 10 days the window crosses the DST switch of Sunday 25 October.
func monday(t testing.TB) time.Time {
	return time.Date(2026, 10, 19, 8, 0, 0, 0, berlin(t))
}

func newClient(t testing.TB, opts Options) *Client {
	t.Helper()
	if opts.Location == nil {
		opts.Location = berlin(t)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFetchSeededCalendar(t *testing.T) {
	for _, srv := range calServers(t) {
		t.Run(srv.name, func(t *testing.T) { testFetchSeededCalendar(t, srv) })
	}
}

func testFetchSeededCalendar(t *testing.T, srv davServer) {
	cal := srv.seed(t, "alice")
	c := newClient(t, Options{URL: cal, Days: 10, WebURL: "https://kalender.musterhausen.de/event/{uid}"})

	evs, err := c.Fetch(context.Background(), srv.cred("alice"), monday(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Mon 19.10. 09:00-09:30 CEST Jour fixe Amtsleitung",
		"Tue 20.10. 10:00-11:00 CEST Abstimmung Bürgerbüro",
		"Tue 20.10. 14:00-15:00 CEST Teamrunde",
		`Wed 21.10. 13:00-14:00 CEST <script>alert("x")</script> Haushalt & <b>Co</b>`,
		"Fri 23.10. bis Sat 24.10. ganztägig Personalversammlung",
		"Fri 23.10. 10:00-10:30 CEST Digitale Sprechstunde",
		"Mon 26.10. bis Thu 29.10. ganztägig Fortbildung Verwaltungsrecht",
		"Mon 26.10. 09:00-09:30 CET Jour fixe Amtsleitung",
		"Wed 28.10. 11:00-12:00 CET Teamrunde (verschoben)",
	}
	if got := seen(evs); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	joins := map[string]string{}
	for _, e := range evs {
		joins[e.Title] = e.JoinURL
	}
	for title, link := range map[string]string{
		"Abstimmung Bürgerbüro":                            "https://meet.jit.si/Buergerbuero-Abstimmung",
		`<script>alert("x")</script> Haushalt & <b>Co</b>`: "https://bbb.musterhausen.de/b/kae-x7q-2mp",
		"Digitale Sprechstunde":                            "https://video.musterhausen.de/r/sprechstunde",
		"Teamrunde":                                        "",
	} {
		if joins[title] != link {
			t.Errorf("%s: join link %q, want %q", title, joins[title], link)
		}
	}
	if e := evs[1]; e.Location != "Rathaus, Raum 2.14 / https://meet.jit.si/Buergerbuero-Abstimmung" ||
		e.URL != "https://kalender.musterhausen.de/event/seed-abstimmung%40pforte.test" {
		t.Errorf("location %q, link %q", e.Location, e.URL)
	}
	if d := evs[3].Description; d != "Bitte vorher lesen.\nEinwahl: https://bbb.musterhausen.de/b/kae-x7q-2mp." {
		t.Errorf("description %q", d)
	}
}

func TestFetchDiscoversCalendars(t *testing.T) {
	for _, srv := range calServers(t) {
		t.Run(srv.name, func(t *testing.T) { testFetchDiscoversCalendars(t, srv) })
	}
}

func testFetchDiscoversCalendars(t *testing.T, srv davServer) {
	cal := srv.newCalendar(t, "carol")
	marker := "Discovery " + cal[len(cal)-13:len(cal)-1]
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pforte//Test//DE\r\nBEGIN:VEVENT\r\nUID:" + marker +
		"\r\nDTSTAMP:20261001T120000Z\r\nDTSTART:20261020T100000Z\r\nDTEND:20261020T110000Z\r\nSUMMARY:" + marker +
		"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	srv.put(t, "carol", cal, "d.ics", []byte(ics))
	// /.well-known/caldav answers PROPFIND with 301 (RFC 6764), which must
	// be followed as PROPFIND, not as GET.
	urls := []string{srv.base, srv.base + "{user}/", srv.root() + ".well-known/caldav"}
	if srv.name == "radicale" {
		urls = append(urls, "") // the web calendar's server root is CalDAV's too
	}
	for _, url := range urls {
		opts := Options{URL: url}
		if url == "" {
			opts.WebURL = srv.base + "web/"
		}
		evs, err := newClient(t, opts).Fetch(context.Background(), srv.cred("carol"), monday(t))
		if err != nil {
			t.Fatalf("URL %q: %v", url, err)
		}
		found := false
		for _, e := range evs {
			found = found || e.Title == marker
		}
		if !found {
			t.Errorf("URL %q: carol's event %q not found in %v", url, marker, seen(evs))
		}
	}
}

func TestFetchLimit(t *testing.T) {
	srv := radicale(t)
	cal := srv.seed(t, "alice")
	evs, err := newClient(t, Options{URL: cal, Days: 10, Limit: 2}).Fetch(context.Background(), srv.cred("alice"), monday(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := seen(evs); len(got) != 2 || got[1] != "Tue 20.10. 10:00-11:00 CEST Abstimmung Bürgerbüro" {
		t.Errorf("want the two earliest events, got %v", got)
	}
}

func kindOf(t *testing.T, err error) upstream.Kind {
	t.Helper()
	var ue *upstream.Error
	if !errors.As(err, &ue) {
		t.Fatalf("want *upstream.Error, got %T %v", err, err)
	}
	if ue.Source != "calendar" {
		t.Errorf("source %q", ue.Source)
	}
	return ue.Kind
}

func TestFetchErrors(t *testing.T) {
	for _, srv := range calServers(t)[1:] {
		t.Run(srv.name, func(t *testing.T) { testRefusals(t, srv) })
	}
	testRefusals(t, radicale(t))
}

// testRefusals: what a server refuses comes back as an auth error that
// does not reveal the password or token.
func testRefusals(t *testing.T, srv davServer) {
	aliceCal := srv.seed(t, "alice")
	t.Run("bob cannot read alice's calendar", func(t *testing.T) {
		_, err := newClient(t, Options{URL: aliceCal}).Fetch(context.Background(), srv.cred("bob"), monday(t))
		if k := kindOf(t, err); k != upstream.KindAuth {
			t.Errorf("kind %s (%v), want auth", k, err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		cred := srv.cred("alice")
		cred.Password = "falsch"
		for _, url := range []string{aliceCal, srv.base} {
			_, err := newClient(t, Options{URL: url}).Fetch(context.Background(), cred, monday(t))
			if k := kindOf(t, err); k != upstream.KindAuth {
				t.Errorf("%s: kind %s (%v), want auth", url, k, err)
			}
			if strings.Contains(err.Error(), "falsch") {
				t.Errorf("error reveals the password: %v", err)
			}
		}
	})
	t.Run("a token the server does not accept", func(t *testing.T) {
		_, err := newClient(t, Options{URL: aliceCal}).Fetch(context.Background(), upstream.Credential{Username: "alice", Token: "geheim-token"}, monday(t))
		if k := kindOf(t, err); k != upstream.KindAuth || strings.Contains(err.Error(), "geheim-token") {
			t.Errorf("kind %s (%v), want auth without the token", k, err)
		}
	})
	if srv.name != "radicale" {
		return
	}
	t.Run("no credential yet", func(t *testing.T) {
		_, err := newClient(t, Options{URL: aliceCal}).Fetch(context.Background(), upstream.Credential{Username: "alice"}, monday(t))
		if k := kindOf(t, err); k != upstream.KindNotSetUp {
			t.Errorf("kind %s, want not_set_up", k)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		_, err = newClient(t, Options{URL: "http://" + addr + "/alice/cal/"}).Fetch(context.Background(), srv.cred("alice"), monday(t))
		if k := kindOf(t, err); k != upstream.KindUnreachable {
			t.Errorf("kind %s (%v), want unreachable", k, err)
		}
	})
	t.Run("a server that accepts and never answers", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			var held []net.Conn
			defer func() {
				for _, c := range held {
					c.Close()
				}
			}()
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				held = append(held, c) // read nothing, answer nothing
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err = newClient(t, Options{URL: "http://" + ln.Addr().String() + "/alice/cal/"}).Fetch(ctx, srv.cred("alice"), monday(t))
		if k := kindOf(t, err); k != upstream.KindTimeout {
			t.Errorf("kind %s (%v), want timeout", k, err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("want the context's deadline in the chain, got %v", err)
		}
	})
}

func TestFetchSkipsUnreadableEvents(t *testing.T) {
	for _, srv := range calServers(t) {
		t.Run(srv.name, func(t *testing.T) { testFetchSkipsUnreadableEvents(t, srv) })
	}
}

func testFetchSkipsUnreadableEvents(t *testing.T, srv davServer) {
	cal := srv.newCalendar(t, "alice")
	event := func(uid, lines string) []byte {
		return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pforte//Test//DE\r\nBEGIN:VEVENT\r\nUID:" + uid +
			"\r\nDTSTAMP:20261001T120000Z\r\n" + strings.ReplaceAll(lines, "\n", "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	}
	// Radicale stores both broken events; Pforte cannot read them.
	srv.put(t, "alice", cal, "bad-rule.ics", event("bad-rule", "DTSTART:20261020T100000Z\nRRULE:FREQ=WEEKLY;BYDAY=+60MO\nSUMMARY:Regel kaputt"))
	srv.put(t, "alice", cal, "bad-rule-2.ics", event("bad-rule-2", "DTSTART:20261021T100000Z\nRRULE:FREQ=DAILY;BYDAY=-70TU,WE\nSUMMARY:Auch kaputt"))
	bad := 2
	if srv.name != "radicale" { // Radicale refuses this one; DAViCal stores it
		srv.put(t, "alice", cal, "bad-day.ics", event("bad-day", "DTSTART:20261021T100000Z\nRRULE:FREQ=WEEKLY;BYDAY=XX\nSUMMARY:Kein Tag"))
		bad++
	}

	var logs strings.Builder
	c := newClient(t, Options{URL: cal, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	_, err := c.Fetch(context.Background(), srv.cred("alice"), monday(t))
	if k := kindOf(t, err); k != upstream.KindBadData {
		t.Fatalf("a calendar of nothing but broken events: kind %s (%v), want bad_data", k, err)
	}

	srv.put(t, "alice", cal, "good.ics", event("good", "DTSTART:20261022T100000Z\nDTEND:20261022T110000Z\nSUMMARY:Lesbar"))
	logs.Reset()
	evs, err := c.Fetch(context.Background(), srv.cred("alice"), monday(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := seen(evs); len(got) != 1 || got[0] != "Thu 22.10. 12:00-13:00 CEST Lesbar" {
		t.Errorf("the readable event must be shown, got %v", got)
	}
	if !strings.Contains(logs.String(), fmt.Sprintf("skipped=%d", bad)) || strings.Contains(logs.String(), "alice") {
		t.Errorf("want the %d skipped events logged (without the user's name or password), got %q", bad, logs.String())
	}
}
