package announce

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// FormTime is how the admin form writes times (datetime-local), in the
// tenant's time zone.
const FormTime = "2006-01-02T15:04"

// Form is the admin form's fields as the browser sends them.
type Form struct {
	Title, Body, TitleEN, BodyEN, Severity, Groups, PublishAt, ExpiresAt string
	Pinned, Push, RequiresAck                                            bool
}

// FormOf fills the form from a, with its times in loc when times is set
// (a duplicate starts without them).
func FormOf(a *Announcement, loc *time.Location, times bool) Form {
	f := Form{Title: a.Title, Body: a.Body, Severity: a.Severity, Groups: strings.Join(a.Groups, ", "),
		Pinned: a.Pinned, Push: a.Push, RequiresAck: a.RequiresAck}
	if en, ok := a.Translations["en"]; ok {
		f.TitleEN, f.BodyEN = en.Title, en.Body
	}
	if times {
		f.PublishAt = a.PublishAt.In(loc).Format(FormTime)
		if a.ExpiresAt != nil {
			f.ExpiresAt = a.ExpiresAt.In(loc).Format(FormTime)
		}
	}
	return f
}

// Input is the form as the API's input: times are read in loc, an empty
// publish time means now. Unreadable times come back as field errors (and
// are left out of the input).
func (f Form) Input(loc *time.Location, now time.Time) (Input, []*FieldError) {
	groups := []string{}
	for _, g := range strings.Split(f.Groups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			groups = append(groups, g)
		}
	}
	tr := Translations{"en": {Title: f.TitleEN, Body: f.BodyEN}}
	in := Input{Title: &f.Title, Body: &f.Body, Severity: &f.Severity, Groups: &groups, Pinned: &f.Pinned,
		Push: &f.Push, RequiresAck: &f.RequiresAck, Translations: &tr, ExpiresAt: []byte("null")}
	var errs []*FieldError
	if f.PublishAt == "" { // the form says: empty means now
		p := now.Format(time.RFC3339)
		in.PublishAt = &p
	} else if t, err := time.ParseInLocation(FormTime, f.PublishAt, loc); err != nil {
		in.PublishAt = nil
		errs = append(errs, &FieldError{Field: "publish_at", Reason: "must be a date and time", Code: CodeTime})
	} else {
		p := t.Format(time.RFC3339)
		in.PublishAt = &p
	}
	if f.ExpiresAt != "" {
		t, err := time.ParseInLocation(FormTime, f.ExpiresAt, loc)
		if err != nil {
			in.ExpiresAt = nil
			errs = append(errs, &FieldError{Field: "expires_at", Reason: "must be a date and time", Code: CodeTime})
		} else {
			in.ExpiresAt = []byte(`"` + t.Format(time.RFC3339) + `"`)
		}
	}
	return in, errs
}

// Fingerprint identifies the form's content, so "publish" only goes
// through for what the summary showed.
func (f Form) Fingerprint() string {
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{f.Title, f.Body, f.TitleEN, f.BodyEN, f.Severity, f.Groups,
		f.PublishAt, f.ExpiresAt, flag(f.Pinned), flag(f.Push), flag(f.RequiresAck)}, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// FormField is the admin form's input for a FieldError: its name, its
// element id and the message key of its label.
type FormField struct{ Name, ID, Label string }

// FieldOf is the input of a FieldError's field (false: none shows it).
func FieldOf(field string) (FormField, bool) {
	for _, f := range []struct {
		prefix string
		FormField
	}{
		{"title", FormField{"title", "f-title", "ann.field.title"}},
		{"body", FormField{"body", "f-body", "ann.field.body"}},
		{"translations.en.title", FormField{"title_en", "f-title-en", "ann.field.title_en"}},
		{"translations", FormField{"body_en", "f-body-en", "ann.field.body_en"}},
		{"severity", FormField{"severity", "f-severity", "ann.field.severity"}},
		{"groups", FormField{"groups", "f-groups", "ann.field.groups"}},
		{"publish_at", FormField{"publish_at", "f-publish", "ann.field.publish_at"}},
		{"expires_at", FormField{"expires_at", "f-expires", "ann.field.expires_at"}},
	} {
		if strings.HasPrefix(field, f.prefix) {
			return f.FormField, true
		}
	}
	return FormField{}, false
}
