package auth

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext: whatever arrives in ?next=, the redirect target is "/" or a
// path on this site: it starts with one "/" (never "//" or "/\"), and parses
// back with no scheme and no host.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{
		"/", "/news?x=1#top", "//evil.example", "/\\evil.example", "https://evil.example/",
		"/%2F%2Fevil.example", "/%5Cevil", "/\tevil", "javascript:alert(1)", "/a/../..//evil",
		"/ä?ö=ü", "/%zz", "\\\\evil", "/;//evil", "/?next=//evil",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got == "/" {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("SafeNext(%q) = %q: not a same-site path", next, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("SafeNext(%q) = %q: does not parse: %v", next, got, err)
		}
		if u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
			t.Fatalf("SafeNext(%q) = %q: parses to scheme %q host %q", next, got, u.Scheme, u.Host)
		}
		if strings.HasPrefix(u.Path, "//") {
			t.Fatalf("SafeNext(%q) = %q: path decodes to %q", next, got, u.Path)
		}
	})
}
