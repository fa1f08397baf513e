package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
)

// nextEvent is the next event block of the stream ("event: …" up to the
// blank line), skipping pings; it fails the test after 10 s.
func nextEvent(t *testing.T, r *bufio.Reader) (string, error) {
	t.Helper()
	type result struct {
		ev  string
		err error
	}
	got := make(chan result, 1)
	go func() {
		var ev strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				got <- result{ev.String(), err}
				return
			}
			switch {
			case line == "\n" && ev.Len() > 0:
				got <- result{ev.String(), nil}
				return
			case strings.HasPrefix(line, ":") || line == "\n" || strings.HasPrefix(line, "retry:"):
			default:
				ev.WriteString(line)
			}
		}
	}()
	select {
	case res := <-got:
		return res.ev, res.err
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
		return "", nil
	}
}

func publish(t *testing.T, ann *announce.Service, tenantID, title string) {
	t.Helper()
	in, err := announce.DecodeInput(strings.NewReader(`{"title":"` + title + `","body":"Bitte lesen"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ann.Create(context.Background(), announce.Actor{Name: "it", Tenant: tenantID, Via: announce.ViaAPI}, in); err != nil {
		t.Fatal(err)
	}
}

// A stream, handed over from the HTTP server to the announcement service
// after its headers, is a valid chunked event stream that gets its own
// tenant's announcements and no other's, and ends cleanly when the server
// shuts down (so the browser reconnects to another instance).
func TestHijackedStreamGetsItsTenantsEventsAndEndsOnShutdown(t *testing.T) {
	url, ann := streamServer(t)
	anna := openTenantStream(t, url, "stadt", "anna")
	bernd := openTenantStream(t, url, "dorf", "bernd")
	defer anna.Body.Close()
	defer bernd.Body.Close()
	for _, res := range []*http.Response{anna, bernd} {
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" ||
			res.Header.Get("Cache-Control") != "no-store" || len(res.TransferEncoding) == 0 || res.TransferEncoding[0] != "chunked" {
			t.Fatalf("stream answer: %d %v, chunked %v", res.StatusCode, res.Header, res.TransferEncoding)
		}
	}
	annaR, berndR := bufio.NewReader(anna.Body), bufio.NewReader(bernd.Body)

	publish(t, ann, "stadt", "Wasserrohrbruch Rathaus")
	ev, err := nextEvent(t, annaR)
	if err != nil || !strings.HasPrefix(ev, "event: announcement\nid: ") || !strings.Contains(ev, `"title":"Wasserrohrbruch Rathaus"`) {
		t.Fatalf("anna's stream: %q, %v; want the announcement", ev, err)
	}
	// bernd's next event must be his own tenant's: "stadt"'s came first.
	publish(t, ann, "dorf", "Glatteis am Bauhof")
	if ev, err := nextEvent(t, berndR); err != nil || !strings.Contains(ev, `"title":"Glatteis am Bauhof"`) {
		t.Fatalf("bernd's stream (tenant dorf): %q, %v; want only dorf's announcement", ev, err)
	}

	ann.Stop() // what Server.Shutdown does first
	if ev, err := nextEvent(t, annaR); !errors.Is(err, io.EOF) {
		t.Fatalf("after shutdown: %q, %v; want the stream's clean end", ev, err)
	}
}
