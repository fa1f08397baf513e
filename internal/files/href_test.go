package files

import (
	"net/url"
	"testing"
)

func TestRelPathDecodesHrefs(t *testing.T) {
	base, _ := url.Parse("https://cloud.example/remote.php/dav/files/alice/Bau%20%26%20Planung/")
	root := "/remote.php/dav/files/alice/"
	tests := []struct {
		href, want string
		ok         bool
	}{
		{"/remote.php/dav/files/alice/", "", true},
		{"/remote.php/dav/files/alice", "", true},
		{"/remote.php/dav/files/alice/Bau%20%26%20Planung/", "Bau & Planung", true},
		{"/remote.php/dav/files/alice/Plan%20%231%20(50%25).pdf", "Plan #1 (50%).pdf", true},
		{"/remote.php/dav/files/alice/C++%20Notizen%2B.txt", "C++ Notizen+.txt", true},
		{"/remote.php/dav/files/alice/%C3%9Cbersicht%20Haushalt%202026.xlsx", "Übersicht Haushalt 2026.xlsx", true},
		{"/remote.php/dav/files/alice/%c3%9cbersicht%20Haushalt%202026.xlsx", "Übersicht Haushalt 2026.xlsx", true},
		{"/remote.php/dav/files/alice/Übersicht Haushalt 2026.xlsx", "Übersicht Haushalt 2026.xlsx", true},
		{"/remote.php/dav/files/alice/raw #1?.txt", "raw #1?.txt", true},
		{"http://internal:8080/remote.php/dav/files/alice/a/b.txt", "a/b.txt", true},
		{"Plan.pdf", "Bau & Planung/Plan.pdf", true}, // relative to the request URL
		{"%3Cimg%20src=x%20onerror=alert(1)%3E.html", "Bau & Planung/<img src=x onerror=alert(1)>.html", true},
		{"/remote.php/dav/files/bob/secret.txt", "", false},
		{"/remote.php/dav/files/alice2/x.txt", "", false},
		{"/remote.php/dav/files/alice/a%2F..%2F..%2Fbob/x", "", false},
		{"/remote.php/dav/files/alice/a//b", "", false},
		{"/remote.php/dav/files/alice/%zz", "", false},
	}
	for _, tt := range tests {
		got, ok := relPath(base, root, tt.href)
		if got != tt.want || ok != tt.ok {
			t.Errorf("relPath(%q) = %q, %v; want %q, %v", tt.href, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHidden(t *testing.T) {
	for rel, want := range map[string]bool{
		".git": true, "a/.cache/b.txt": true, ".Trash-1000/x": true,
		"a.b/c.txt": false, "Bericht.v2.pdf": false, "a/b": false,
	} {
		if hidden(rel) != want {
			t.Errorf("hidden(%q) = %v", rel, !want)
		}
	}
}
