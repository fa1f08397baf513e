package announce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what an author may write.
const (
	maxTitle  = 200
	maxBody   = 20000
	maxGroups = 50
)

var groupName = regexp.MustCompile(`^[\p{L}\p{N} ._/@-]{1,100}$`)

// FieldError is a request mistake in one field; the API answers 400 with it.
// Code and Args let a page say the same in its own language (see codes.go).
type FieldError struct {
	Field  string
	Reason string
	Code   string
	Args   []any
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Code: CodeInvalid}
}

func codedErr(field, code, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Code: code, Args: args}
}

// Input is the API's JSON body. Absent fields are nil: a PATCH changes only
// what it names. Times are RFC 3339; expires_at may be null (never expires).
// Clients (the announce CLI) send it too: nil fields are left out.
type Input struct {
	Title        *string         `json:"title,omitempty"`
	Body         *string         `json:"body,omitempty"`
	Severity     *string         `json:"severity,omitempty"`
	Pinned       *bool           `json:"pinned,omitempty"`
	Groups       *[]string       `json:"groups,omitempty"`
	PublishAt    *string         `json:"publish_at,omitempty"`
	ExpiresAt    json.RawMessage `json:"expires_at,omitempty"`
	Push         *bool           `json:"push,omitempty"`
	RequiresAck  *bool           `json:"requires_ack,omitempty"`
	Translations *Translations   `json:"translations,omitempty"`
	Draft        *bool           `json:"draft,omitempty"`
}

// Translations are the texts in other languages, by language code.
type Translations map[string]Text

// UnmarshalJSON decodes each language on its own, so a mistake names its
// full path (translations.en.title).
func (tr *Translations) UnmarshalJSON(raw []byte) error {
	var langs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &langs); err != nil {
		return fieldErr("translations", "must be an object like {\"en\": {\"title\": \"...\", \"body\": \"...\"}}")
	}
	out := Translations{}
	for lang, v := range langs {
		var t Text
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				return fieldErr("translations."+lang+"."+te.Field, "must be a string")
			}
			return fieldErr("translations."+lang, "must be an object with title and body")
		}
		out[lang] = t
	}
	*tr = out
	return nil
}

// DecodeInput reads one JSON object; every mistake names its field.
func DecodeInput(r io.Reader) (Input, error) {
	var in Input
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	err := dec.Decode(&in)
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var fe *FieldError
	switch {
	case err == nil:
	case errors.As(err, &fe):
		return in, fe
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return in, fieldErr(field, "must be a %s", jsonKind(te.Type.Kind().String()))
	case errors.As(err, &se):
		return in, fieldErr("body", "malformed JSON at offset %d", se.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return in, fieldErr("body", "a JSON object is required")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return in, fieldErr(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown field")
	default:
		return in, fieldErr("body", "malformed JSON")
	}
	if dec.More() {
		return in, fieldErr("body", "exactly one JSON object is allowed")
	}
	return in, nil
}

func jsonKind(k string) string {
	switch k {
	case "ptr", "string":
		return "string"
	case "slice":
		return "list"
	case "map", "struct":
		return "object"
	case "bool":
		return "boolean"
	}
	return k
}

// Apply validates in and writes it onto a. create demands the required
// fields; a PATCH (create false) keeps what in leaves out. now is the
// default publish time. It returns the first problem (see ApplyAll).
func Apply(a *Announcement, in Input, create bool, now time.Time) error {
	if errs := ApplyAll(a, in, create, now); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// ApplyAll is Apply reporting every problem at once, at most one per field,
// in the order of the form, so an author can fix them in one go. a is only
// usable when none is returned.
func ApplyAll(a *Announcement, in Input, create bool, now time.Time) []*FieldError {
	var errs []*FieldError
	add := func(err error) {
		var fe *FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	if create {
		if in.Title == nil {
			add(codedErr("title", CodeRequired, "is required"))
		}
		if in.Body == nil {
			add(codedErr("body", CodeRequired, "is required"))
		}
		a.Severity, a.PublishAt = SeverityInfo, now
	}
	if in.Title != nil {
		if err := checkText("title", *in.Title, maxTitle, true); err != nil {
			add(err)
		}
		a.Title = strings.TrimSpace(*in.Title)
	}
	if in.Body != nil {
		if err := checkText("body", *in.Body, maxBody, true); err != nil {
			add(err)
		} else if err := checkMarkdown("body", *in.Body); err != nil {
			add(err) // amplifying Markdown: the reason names the limit
		}
		a.Body = *in.Body
	}
	if in.Translations != nil {
		tr, err := checkTranslations(*in.Translations)
		add(err)
		a.Translations = tr
	}
	if in.Severity != nil {
		switch *in.Severity {
		case SeverityInfo, SeverityWarning, SeverityCritical:
			a.Severity = *in.Severity
		default:
			add(codedErr("severity", CodeSeverity, "must be info, warning or critical"))
		}
	}
	if in.Pinned != nil {
		a.Pinned = *in.Pinned
	}
	if in.Push != nil {
		a.Push = *in.Push
	}
	if in.RequiresAck != nil {
		a.RequiresAck = *in.RequiresAck
	}
	if in.Draft != nil {
		a.Draft = *in.Draft
	}
	if in.Groups != nil {
		groups, err := checkGroups(*in.Groups)
		add(err)
		a.Groups = groups
	}
	timesOK := true
	if in.PublishAt != nil {
		t, err := parseTime("publish_at", *in.PublishAt)
		if err != nil {
			add(err)
			timesOK = false
		}
		a.PublishAt = t
	}
	if len(in.ExpiresAt) > 0 {
		exp, err := parseExpiry(in.ExpiresAt)
		if err != nil {
			add(err)
			timesOK = false
		}
		a.ExpiresAt = exp
	}
	if timesOK && a.ExpiresAt != nil && !a.ExpiresAt.After(a.PublishAt) {
		add(codedErr("expires_at", CodeAfterPublish, "must be after publish_at"))
	}
	return errs
}

func checkText(field, s string, max int, required bool) error {
	switch {
	case !utf8.ValidString(s):
		return codedErr(field, CodeUTF8, "must be UTF-8 text")
	case required && strings.TrimSpace(s) == "":
		return codedErr(field, CodeEmpty, "must not be empty")
	case utf8.RuneCountInString(s) > max:
		return codedErr(field, CodeTooLong, "must be at most %d characters", max)
	}
	return nil
}

func checkGroups(in []string) ([]string, error) {
	if len(in) > maxGroups {
		return nil, codedErr("groups", CodeTooMany, "at most %d groups", maxGroups)
	}
	out := []string{}
	for i, g := range in {
		g = strings.TrimSpace(g)
		if !groupName.MatchString(g) {
			return nil, codedErr(fmt.Sprintf("groups[%d]", i), CodeGroupName, "must be a group name (letters, digits, space . _ / @ -)")
		}
		if !contains(out, g) {
			out = append(out, g)
		}
	}
	return out, nil
}

func checkTranslations(in Translations) (map[string]Text, error) {
	out := map[string]Text{}
	for lang, t := range in {
		if lang != "en" {
			return nil, codedErr("translations."+lang, CodeLanguage, "only en is supported (German is the main text)")
		}
		if t.Title == "" && t.Body == "" {
			continue
		}
		if err := checkText("translations.en.title", t.Title, maxTitle, true); err != nil {
			return nil, err
		}
		if err := checkText("translations.en.body", t.Body, maxBody, false); err != nil {
			return nil, err
		}
		if err := checkMarkdown("translations.en.body", t.Body); err != nil {
			return nil, err
		}
		out[lang] = Text{Title: strings.TrimSpace(t.Title), Body: t.Body}
	}
	return out, nil
}

func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, codedErr(field, CodeTime, "must be an RFC 3339 time like 2026-11-23T09:00:00+01:00")
	}
	return t, nil
}

func parseExpiry(raw json.RawMessage) (*time.Time, error) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, codedErr("expires_at", CodeTime, "must be a string or null")
	}
	if s == "" {
		return nil, nil
	}
	t, err := parseTime("expires_at", s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
