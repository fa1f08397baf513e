package files

import (
	"strings"
)

// webLink fills the placeholders of the WebURL template (documented on
// Client.Fetch) for the file at rel with the server's file id.
func webLink(template, rel, fileID string) string {
	if template == "" || !strings.Contains(template, "{") {
		return template
	}
	dir := "/"
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		dir = "/" + rel[:i]
	}
	return strings.NewReplacer(
		"{path}", escape("/"+rel, true),
		"{dir}", escape(dir, true),
		"{fileid}", escape(fileID, false),
	).Replace(template)
}

// webURLProbe fills the placeholders with harmless values so New can check
// that the template is a URL.
func webURLProbe(template string) string {
	return strings.NewReplacer("{path}", "/p", "{dir}", "/d", "{fileid}", "1").Replace(template)
}

// escape percent-encodes every byte of s except RFC 3986 unreserved
// characters and, when keepSlash, "/". The result is safe both in a URL
// path and in a query value, unlike url.PathEscape, which keeps "&", "="
// and "+".
func escape(s string, keepSlash bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/' && keepSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
