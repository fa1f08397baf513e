package config

import (
	"errors"
	"strings"
	"testing"
)

// A wrong web_item_url is named with its field and the fix, per source.
func TestWebItemURLProblems(t *testing.T) {
	yaml := "secret_key: " + testKey + `
tenants:
  - id: a
    hosts: [a.example]
    name: A
    mail: {imap: "imap.example:993", tls: implicit, auth: password, web_item_url: "https://mail.example/?id={id}"}
    calendar: {url: "https://dav.example/{user}/", auth: password, web_item_url: "/calendar/{uid}"}
    files: {url: "https://dav.example/{user}/", auth: password, web_item_url: "http://cloud.example/f/{fileid}"}
  - id: b
    hosts: [b.example]
    name: B
    files: {url: "https://dav.example/{user}/", auth: password, web_item_url: "https://cloud.example/f/{fileid"}
    calendar: {url: "https://dav.example/{user}/", auth: password, web_item_url: "https://cal.example/{path}"}
`
	_, err := Parse([]byte(yaml), t.TempDir(), env(nil))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got %v, want Problems", err)
	}
	msg := err.Error()
	for _, w := range []string{
		`tenants[0].mail.web_item_url: "https://mail.example/?id={id}": unknown placeholder {id}: use {uid}, {message_id}, {folder}`,
		`tenants[0].calendar.web_item_url: "/calendar/{uid}": must be an absolute http(s) URL`,
		`tenants[0].files.web_item_url: must be an https URL (http only for localhost)`,
		`tenants[1].files.web_item_url: "https://cloud.example/f/{fileid": unbalanced { or }`,
		`tenants[1].calendar.web_item_url: "https://cal.example/{path}": unknown placeholder {path}: use {uid}, {href}, {date}`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
}

// The documented forms are accepted as they are.
func TestWebItemURLDocumentedFormsAccepted(t *testing.T) {
	yaml := "secret_key: " + testKey + `
tenants:
  - id: a
    hosts: [a.example]
    name: A
    mail: {imap: "imap.example:993", tls: implicit, auth: password,
      web_item_url: "https://ox.example/appsuite/#!!&app=io.ox/mail&folder=default0/{folder}&id=default0/{folder}.{uid}"}
    calendar: {url: "https://dav.example/{user}/", auth: password, web_item_url: "https://cloud.example/apps/calendar/timeGridDay/{date}"}
    files: {url: "https://dav.example/{user}/", auth: password, web_item_url: "https://cloud.example/apps/files/?dir={dir}&openfile={fileid}"}
`
	if _, err := Parse([]byte(yaml), t.TempDir(), env(nil)); err != nil {
		t.Fatal(err)
	}
}
