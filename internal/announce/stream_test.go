package announce

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// openTestStream opens v's stream over an in-memory connection and returns
// a reader of its events (the "event:"… block, pings and hello skipped).
func openTestStream(t *testing.T, svc *Service, v Viewer) <-chan string {
	t.Helper()
	server, client := net.Pipe()
	t.Cleanup(func() { client.Close() })
	events := make(chan string, 8)
	go func() {
		r := bufio.NewReader(client)
		var ev strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch {
			case strings.HasPrefix(line, "event:") || strings.HasPrefix(line, "id:") || strings.HasPrefix(line, "data:"):
				ev.WriteString(line)
			case strings.TrimSpace(line) == "" && ev.Len() > 0:
				events <- ev.String()
				ev.Reset()
			}
		}
	}()
	if err := svc.OpenStream(server, []byte("HTTP/1.1 200 OK\r\n\r\n"), v, func() {}); err != nil {
		t.Fatal(err)
	}
	return events
}

func nextStreamEvent(t *testing.T, events <-chan string) string {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
		return ""
	}
}

// Streams that share an event's bytes still each get their own view: the
// reader who acknowledged sees it acknowledged, the other does not, each
// in their language, and a reader outside the target groups gets nothing.
func TestStreamEventIsEachViewersOwn(t *testing.T) {
	ctx := context.Background()
	svc := NewService(boltStore(t), slog.New(slog.DiscardHandler), time.Now)
	t.Cleanup(svc.Stop)
	admin := Actor{Name: "it", Tenant: "t1", Via: ViaAPI}
	a, err := svc.Create(ctx, admin, mustDecode(t, `{"title":"Brandschutzübung","body":"Heute 10 Uhr","groups":["staff"],"requires_ack":true}`))
	if err != nil {
		t.Fatal(err)
	}
	anna := Viewer{Tenant: "t1", Subject: "anna", Groups: []string{"staff"}, Lang: "de"}
	if _, err := svc.Acknowledge(ctx, anna, a.ID); err != nil {
		t.Fatal(err)
	}
	annaEvents := openTestStream(t, svc, anna)
	berndEvents := openTestStream(t, svc, Viewer{Tenant: "t1", Subject: "bernd", Groups: []string{"staff"}, Lang: "de"})
	guestEvents := openTestStream(t, svc, Viewer{Tenant: "t1", Subject: "gast", Groups: []string{"guests"}, Lang: "de"})

	if _, err := svc.Update(ctx, admin, a.ID, mustDecode(t, `{"title":"Brandschutzübung verschoben"}`)); err != nil {
		t.Fatal(err)
	}
	if ev := nextStreamEvent(t, annaEvents); !strings.Contains(ev, "verschoben") || strings.Contains(ev, `"acknowledged_at":null`) {
		t.Fatalf("anna (acknowledged): %q, want the change marked acknowledged", ev)
	}
	if ev := nextStreamEvent(t, berndEvents); !strings.Contains(ev, "verschoben") || !strings.Contains(ev, `"acknowledged_at":null`) {
		t.Fatalf("bernd (not acknowledged): %q, want the change still to acknowledge", ev)
	}
	// The guest's next event must be the untargeted one below, not the update.
	b, err := svc.Create(ctx, admin, mustDecode(t, `{"title":"Kantine geschlossen","body":"Heute"}`))
	if err != nil {
		t.Fatal(err)
	}
	if ev := nextStreamEvent(t, guestEvents); !strings.Contains(ev, "id: "+b.ID) {
		t.Fatalf("guest outside the target groups: %q, want only the announcement for everyone", ev)
	}
}
