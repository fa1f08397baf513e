package files

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzMultistatus feeds arbitrary bytes to the PROPFIND/SEARCH response
// parser: it must never panic, never report more than it read, and never
// turn an href into a path outside the user's root.
// Seeds are the server shapes in testdata.
func FuzzMultistatus(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<multistatus xmlns="DAV:"><response><href>/a%2</href><propstat><prop><getcontentlength>-5</getcontentlength></prop></propstat></response></multistatus>`))
	base, _ := url.Parse("https://cloud.example/remote.php/dav/files/alice/Docs/")
	const root = "/remote.php/dav/files/alice/"
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 64 << 10
		n := 0
		err := parseMultistatus(bytes.NewReader(data), limit, func(e entry) error {
			n++
			if e.Size < 0 {
				t.Errorf("negative size %d", e.Size)
			}
			if e.Href == "" || len(e.Href) > len(data) {
				t.Errorf("href %q not from the input", e.Href)
			}
			// Whatever the href, a path Fetch accepts stays below the root.
			if rel, ok := relPath(base, root, e.Href); ok {
				for _, seg := range strings.Split(rel, "/") {
					if rel != "" && (seg == "" || seg == "." || seg == "..") {
						t.Errorf("href %q gave path %q outside the root", e.Href, rel)
					}
				}
			}
			return nil
		})
		if len(data) > limit && err == nil {
			t.Errorf("parsed %d bytes beyond the %d byte limit", len(data), limit)
		}
		if responses := strings.Count(string(data), "response"); n > responses {
			t.Errorf("%d entries from %d response elements", n, responses)
		}
	})
}
