package files

import (
	"net/url"
	"testing"
)

// web_item_url wins over web_url; every value, "/" included, stays one
// component.
func TestWebItemURL(t *testing.T) {
	c, err := New(Options{URL: "https://dav.example/{user}/", WebURL: "https://cloud.example/apps/files/?dir={dir}",
		WebItemURL: "https://cloud.example/open/{fileid}?dir={dir}&name={name}&path={path}"})
	if err != nil {
		t.Fatal(err)
	}
	const rel = `Bau & "Planung"/Plan #1 ?x=1'.pdf`
	got := c.link(rel, "47/13")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.EscapedPath() != "/open/47%2F13" || q.Get("dir") != `/Bau & "Planung"` || q.Get("name") != `Plan #1 ?x=1'.pdf` ||
		q.Get("path") != "/"+rel || len(q) != 3 || u.Fragment != "" {
		t.Errorf("%q: path %q query %v fragment %q", got, u.EscapedPath(), q, u.Fragment)
	}
	if got := c.link("top.txt", ""); got != "https://cloud.example/open/?dir=%2F&name=top.txt&path=%2Ftop.txt" {
		t.Errorf("file at the root: %q", got)
	}
	if _, err := New(Options{URL: "https://dav.example/", WebItemURL: "https://cloud.example/{uid}"}); err == nil {
		t.Error("New accepted {uid} in a files template")
	}
}
