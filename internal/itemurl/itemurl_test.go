package itemurl

import (
	"net/url"
	"strings"
	"testing"
)

const hostile = `a b#c?d&e=f/../g"h'<i>+%`

// A value cannot leave its place: in a query it stays one parameter, in a
// path one segment, in a fragment it does not start a new one.
func TestExpandKeepsEachValueOneComponent(t *testing.T) {
	tpl, err := Parse("https://web.example/open/{uid}?folder={folder}&x=1#!id={message_id}", Mail())
	if err != nil {
		t.Fatal(err)
	}
	got := tpl.Expand(map[string]string{"uid": hostile, "folder": hostile, "message_id": hostile})
	u, err := url.Parse(got)
	if err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	q := u.Query()
	if q.Get("folder") != hostile || q.Get("x") != "1" || len(q) != 2 {
		t.Errorf("query %v of %q: want folder=%q and x=1 only", q, got, hostile)
	}
	if seg := strings.TrimPrefix(u.EscapedPath(), "/open/"); strings.Contains(seg, "/") {
		t.Errorf("path %q: the value split into segments", u.EscapedPath())
	} else if v, _ := url.PathUnescape(seg); v != hostile {
		t.Errorf("path value %q, want %q", v, hostile)
	}
	if u.Fragment != "!id="+hostile {
		t.Errorf("fragment %q, want %q", u.Fragment, "!id="+hostile)
	}
	if strings.ContainsAny(strings.TrimPrefix(got, "https://web.example/open/"), ` "'<>`) {
		t.Errorf("%q keeps a space, quote or angle bracket", got)
	}
}

func TestExpandMissingValueIsEmpty(t *testing.T) {
	tpl, _ := Parse("https://cloud.example/f/{fileid}?p={path}", Files())
	if got := tpl.Expand(map[string]string{"path": "/a b"}); got != "https://cloud.example/f/?p=%2Fa%20b" {
		t.Errorf("got %q", got)
	}
}

func TestParseRefuses(t *testing.T) {
	for raw, want := range map[string]string{
		"https://x.example/{id}":  "unknown placeholder {id}: use {uid}, {href}, {date}",
		"https://x.example/{UID}": "unknown placeholder {UID}",
		"https://x.example/{uid":  "unbalanced",
		"/calendar/{uid}":         "absolute http(s) URL",
		"javascript:alert({uid})": "absolute http(s) URL",
		"ftp://x.example/{href}":  "absolute http(s) URL",
		"https://x.example/{}":    "unknown placeholder {}",
	} {
		if _, err := Parse(raw, Calendar()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", raw, err, want)
		}
	}
	if tpl, err := Parse("", Calendar()); err != nil || !tpl.IsZero() {
		t.Errorf("empty: %v %v", tpl, err)
	}
}
