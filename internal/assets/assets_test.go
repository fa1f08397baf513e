package assets

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A changed file gets a new URL (browsers cache the old one for a year);
// text is stored gzipped only when that is smaller; an unknown name is an
// error at template time, not a broken link.
func TestLoad(t *testing.T) {
	load := func(css string) *Set {
		t.Helper()
		set, err := Load(fstest.MapFS{
			"static/css/app.css": {Data: []byte(css)},
			"static/img/x.png":   {Data: []byte("\x89PNG")},
		})
		if err != nil {
			t.Fatal(err)
		}
		return set
	}
	a, b := load(strings.Repeat("body{color:red}\n", 50)), load("body{}")
	ua, _ := a.URL("css/app.css")
	ub, _ := b.URL("css/app.css")
	if ua == ub || !strings.HasPrefix(ua, "/static/") || !strings.HasSuffix(ua, "/css/app.css") {
		t.Errorf("URLs %q and %q: want a content hash in each", ua, ub)
	}
	css, _ := a.Get("css/app.css")
	png, _ := a.Get("img/x.png")
	if css.Gzip == nil || css.Type != "text/css; charset=utf-8" || png.Gzip != nil {
		t.Errorf("css gzip %v type %q, png gzip %v: want only the css compressed", css.Gzip != nil, css.Type, png.Gzip != nil)
	}
	if _, err := a.URL("css/missing.css"); err == nil {
		t.Error("an unknown file got a URL")
	}
	if len(a.URLs()) != 2 {
		t.Errorf("URLs() = %v, want both files", a.URLs())
	}
}
