package auth

import (
	"net/url"
	"strings"
)

// SafeNext returns next when it is a same-site relative path, else "/".
// It refuses scheme-relative ("//evil"), backslash tricks ("/\evil"),
// absolute URLs, control characters and anything that does not parse back
// to a bare path, so /login?next= can never become an open redirect.
func SafeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' {
		return "/"
	}
	if strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	// Re-check after the path is decoded: "/%2F%2Fevil" must not become "//evil".
	if strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.EscapedPath(), "//") {
		return "/"
	}
	return u.RequestURI()
}
