package announce

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A malformed request names the field the caller got wrong.
func TestMalformedInputNamesTheField(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	cases := []struct{ body, field string }{
		{`{"title":"x","body":"y","severity":"urgent"}`, "severity"},
		{`{"title":"","body":"y"}`, "title"},
		{`{"body":"y"}`, "title"},
		{`{"title":"x"}`, "body"},
		{`{"title":5,"body":"y"}`, "title"},
		{`{"title":"x","body":"y","groups":"hr"}`, "groups"},
		{`{"title":"x","body":"y","groups":["hr","<b>"]}`, "groups[1]"},
		{`{"title":"x","body":"y","publish_at":"tomorrow"}`, "publish_at"},
		{`{"title":"x","body":"y","expires_at":"2026-11-22T08:00:00Z"}`, "expires_at"},
		{`{"title":"x","body":"y","expires_at":7}`, "expires_at"},
		{`{"title":"x","body":"y","push":"yes"}`, "push"},
		{`{"title":"x","body":"y","requires_ack":1}`, "requires_ack"},
		{`{"title":"x","body":"y","translations":{"fr":{"title":"t"}}}`, "translations.fr"},
		{`{"title":"x","body":"y","translations":{"en":{"body":"only body"}}}`, "translations.en.title"},
		{`{"title":"x","body":"y","colour":"red"}`, "colour"},
		{`{"title":"x","body":`, "body"},
		{``, "body"},
		{`{"title":"x","body":"y"} {}`, "body"},
		{`{"title":"` + strings.Repeat("x", 201) + `","body":"y"}`, "title"},
	}
	for _, c := range cases {
		in, err := DecodeInput(strings.NewReader(c.body))
		if err == nil {
			err = Apply(&Announcement{}, in, true, now)
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want a field error", c.body, err)
			continue
		}
		if fe.Field != c.field {
			t.Errorf("%s: names field %q (%v), want %q", c.body, fe.Field, err, c.field)
		}
	}
}

// A valid body becomes the announcement the author meant; a PATCH changes
// only what it names.
func TestApplyCreateAndPatch(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	in, err := DecodeInput(strings.NewReader(`{"title":" Störung ","body":"Mail **down**","severity":"critical","groups":["hr","hr"],
		"publish_at":"2026-11-23T09:00:00+01:00","expires_at":"2026-11-23T12:00:00+01:00","push":true,"requires_ack":true,
		"translations":{"en":{"title":"Outage","body":"Mail down"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var a Announcement
	if err := Apply(&a, in, true, now); err != nil {
		t.Fatal(err)
	}
	if a.Title != "Störung" || a.Severity != SeverityCritical || len(a.Groups) != 1 || !a.Push || !a.RequiresAck ||
		!a.PublishAt.Equal(now) || a.ExpiresAt == nil || a.In("en").Title != "Outage" || a.In("de").Title != "Störung" {
		t.Fatalf("announcement = %+v", a)
	}
	in, _ = DecodeInput(strings.NewReader(`{"expires_at":null}`))
	if err := Apply(&a, in, false, now); err != nil {
		t.Fatal(err)
	}
	if a.ExpiresAt != nil || a.Title != "Störung" || a.Severity != SeverityCritical {
		t.Fatalf("after PATCH expires_at=null: %+v", a)
	}
}
