package announce

import (
	"testing"
	"time"
)

// The admin form's times are the tenant's wall clock; a wrong one names
// its field; a changed checkbox changes the fingerprint, so a summary never
// publishes what it did not show.
func TestFormInput(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	f := Form{Title: "T", Body: "B", Severity: SeverityInfo, Groups: " a, ,b ", PublishAt: "2026-11-24T09:00", ExpiresAt: "soon"}
	in, errs := f.Input(berlin, now)
	if *in.PublishAt != "2026-11-24T09:00:00+01:00" {
		t.Errorf("publish_at = %s, want 09:00 Berlin time", *in.PublishAt)
	}
	if len(*in.Groups) != 2 || (*in.Groups)[1] != "b" {
		t.Errorf("groups = %q, want [a b]", *in.Groups)
	}
	if len(errs) != 1 || errs[0].Field != "expires_at" || in.ExpiresAt != nil {
		t.Errorf("errs = %v, expires_at = %s; want one error naming expires_at", errs, in.ExpiresAt)
	}
	f.PublishAt, f.ExpiresAt = "", ""
	if in, errs = f.Input(berlin, now); len(errs) != 0 || *in.PublishAt != now.Format(time.RFC3339) || string(in.ExpiresAt) != "null" {
		t.Errorf("empty times: publish_at %s, expires_at %s, errs %v; want now and null", *in.PublishAt, in.ExpiresAt, errs)
	}
	g := f
	g.Push = true
	if f.Fingerprint() == g.Fingerprint() {
		t.Error("fingerprint ignores the push checkbox")
	}
	a := &Announcement{Title: "T", Groups: []string{"a", "b"}, PublishAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)}
	if got := FormOf(a, berlin, true); got.Groups != "a, b" || got.PublishAt != "2026-11-24T09:00" {
		t.Errorf("FormOf = %+v, want groups %q and 09:00 local", got, "a, b")
	}
}

// Each field error lands next to its input; the English title is not
// mistaken for the English body.
func TestFieldOf(t *testing.T) {
	for field, want := range map[string]string{"title": "f-title", "translations.en.title": "f-title-en", "translations.en.body": "f-body-en", "groups[2]": "f-groups"} {
		if f, ok := FieldOf(field); !ok || f.ID != want {
			t.Errorf("FieldOf(%q) = %+v, %v; want %s", field, f, ok, want)
		}
	}
	if _, ok := FieldOf("push"); ok {
		t.Error("a field without an input got one")
	}
}
