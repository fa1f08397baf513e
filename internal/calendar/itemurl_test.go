package calendar

import (
	"net/url"
	"testing"
	"time"
)

// web_item_url wins over web_url; UID and href stay one component each.
func TestWebItemURL(t *testing.T) {
	c := newClient(t, Options{URL: "https://dav.example/", WebURL: "https://cal.example/{uid}",
		WebItemURL: "https://cal.example/event/{uid}?href={href}&day={date}"})
	e := Event{UID: `a b#c?d&e/"f'`, href: "/alice/cal one/x&y.ics", Start: time.Date(2026, 10, 19, 23, 30, 0, 0, berlin(t))}
	got := c.link(e)
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.EscapedPath() != "/event/a%20b%23c%3Fd%26e%2F%22f%27" || q.Get("href") != e.href || q.Get("day") != "2026-10-19" || len(q) != 2 {
		t.Errorf("%q: path %q query %v", got, u.EscapedPath(), q)
	}
	if _, err := New(Options{URL: "https://dav.example/", WebItemURL: "https://cal.example/{path}"}); err == nil {
		t.Error("New accepted {path} in a calendar template")
	}
}
