package announce

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func mustDecode(t *testing.T, js string) Input {
	t.Helper()
	in, err := DecodeInput(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// next is the next event of the tenant's feed; events arrive in order, so
// an unexpected one (or a missing one) shows as the wrong next event.
func next(t *testing.T, evs <-chan Event) Event {
	t.Helper()
	select {
	case ev := <-evs:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no announcement event")
		return Event{}
	}
}

// The service writes, audits with the actor and announces with the right
// event, in one place for every caller (admin form, API, CLI).
func TestServiceWritesAuditsAndAnnounces(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc := NewService(boltStore(t), slog.New(slog.DiscardHandler), clk.Now)
	t.Cleanup(svc.Stop)
	evs, stop, err := svc.Listen("t1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	admin := Actor{Name: "Max Mustermann (max)", Tenant: "t1", Via: ViaUI}

	a, err := svc.Create(ctx, admin, mustDecode(t, `{"title":"Wartung","body":"Heute","groups":["staff"],"requires_ack":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if ev := next(t, evs); ev.Type != EventPublished || ev.ID != a.ID || a.Author != admin.Name || a.Tenant != "t1" {
		t.Fatalf("create: event %+v, author %q, tenant %q", ev, a.Author, a.Tenant)
	}
	// Scheduled for tomorrow: stored, but no event yet (the next event is
	// the update below, not a publication of this one).
	later, err := svc.Create(ctx, admin, mustDecode(t, `{"title":"Umzug","body":"Morgen","publish_at":"2026-03-03T09:00:00Z"}`))
	if err != nil || later.Status(clk.Now()) != StatusScheduled {
		t.Fatalf("scheduled create: %v, %v", later, err)
	}
	if _, err := svc.Update(ctx, admin, a.ID, mustDecode(t, `{"severity":"critical"}`)); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, evs); ev.Type != EventUpdated || ev.ID != a.ID {
		t.Fatalf("update of a live one: %+v, want updated", ev)
	}
	// Moved into the future: no longer live, so open pages take it off.
	if _, err := svc.Update(ctx, admin, a.ID, mustDecode(t, `{"publish_at":"2026-03-05T09:00:00Z"}`)); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, evs); ev.Type != EventWithdrawn || ev.ID != a.ID {
		t.Fatalf("update that unpublishes: %+v, want withdrawn", ev)
	}
	if _, err := svc.Withdraw(ctx, Actor{Name: "api:monitoring", Tenant: "t1", Via: ViaAPI}, later.ID); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, evs); ev.Type != EventWithdrawn || ev.ID != later.ID {
		t.Fatalf("withdraw: %+v", ev)
	}
	if _, err := svc.Update(ctx, admin, later.ID, mustDecode(t, `{"title":"x"}`)); !errors.Is(err, ErrWithdrawn) {
		t.Errorf("update after withdraw: %v, want ErrWithdrawn", err)
	}
	if _, err := svc.Withdraw(ctx, admin, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("withdraw of an unknown id: %v, want ErrNotFound", err)
	}
	var fe *FieldError
	if _, err := svc.Create(ctx, admin, mustDecode(t, `{"title":"","body":"x"}`)); !errors.As(err, &fe) || fe.Field != "title" {
		t.Errorf("create without title: %v, want a field error on title", err)
	}

	log, err := svc.Repo("t1").AuditLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Action+" by "+e.Actor)
	}
	want := []string{"withdraw by api:monitoring", "update by Max Mustermann (max)", "update by Max Mustermann (max)",
		"create by Max Mustermann (max)", "create by Max Mustermann (max)"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("audit log:\n %v\nwant\n %v", got, want)
	}
	if all, _ := svc.Repo("t1").All(ctx); len(all) != 2 {
		t.Errorf("%d stored, want 2 (the refused one is not)", len(all))
	}
	if all, _ := svc.Repo("t2").All(ctx); len(all) != 0 {
		t.Errorf("another tenant sees %d announcements", len(all))
	}
}

// Acknowledging: only what the reader may see, only what asks for it.
func TestServiceAcknowledge(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc := NewService(boltStore(t), slog.New(slog.DiscardHandler), clk.Now)
	t.Cleanup(svc.Stop)
	actor := Actor{Name: "t", Tenant: "t1"}
	ack, _ := svc.Create(ctx, actor, mustDecode(t, `{"title":"A","body":"b","groups":["staff"],"requires_ack":true}`))
	plain, _ := svc.Create(ctx, actor, mustDecode(t, `{"title":"B","body":"b"}`))
	staff := Viewer{Tenant: "t1", Subject: "erika", Groups: []string{"staff"}, Lang: "de"}
	other := Viewer{Tenant: "t1", Subject: "otto", Groups: []string{"bauamt"}, Lang: "de"}

	if _, err := svc.Acknowledge(ctx, other, ack.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("ack outside the audience: %v, want ErrNotFound", err)
	}
	if _, err := svc.Acknowledge(ctx, staff, plain.ID); !errors.Is(err, ErrNoAck) {
		t.Errorf("ack of one that asks none: %v, want ErrNoAck", err)
	}
	if _, err := svc.Acknowledge(ctx, Viewer{Tenant: "t2", Subject: "erika", Groups: []string{"staff"}}, ack.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("ack from another tenant: %v, want ErrNotFound", err)
	}
	if _, err := svc.Acknowledge(ctx, staff, ack.ID); err != nil {
		t.Fatal(err)
	}
	items, err := svc.Current(ctx, staff)
	if err != nil || len(items) != 2 {
		t.Fatalf("current: %v, %v", items, err)
	}
	for _, it := range items {
		if (it.ID == ack.ID) != (it.AcknowledgedAt != nil) {
			t.Errorf("item %s: acknowledged_at %v", it.Title, it.AcknowledgedAt)
		}
	}
}
