// Package itemurl fills a source's web_item_url template: the address of one
// message, event or file in the workplace's web app. It is shared by the
// connectors, which fill it, and by the config check, which names the
// placeholders a source knows.
package itemurl

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Mail lists the placeholders of a message's template.
func Mail() []string { return []string{"uid", "message_id", "folder"} }

// Calendar lists the placeholders of an event's template.
func Calendar() []string { return []string{"uid", "href", "date"} }

// Files lists the placeholders of a file's template.
func Files() []string { return []string{"path", "dir", "name", "fileid"} }

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// Template is a parsed web_item_url. The zero Template is unset.
type Template struct {
	raw string
}

// Parse checks raw: every {name} must be one of allowed, and with the
// placeholders filled in raw must be an absolute http(s) URL. An empty raw
// gives the zero Template.
func Parse(raw string, allowed []string) (Template, error) {
	if raw == "" {
		return Template{}, nil
	}
	for _, m := range placeholder.FindAllString(raw, -1) {
		if !slices.Contains(allowed, m[1:len(m)-1]) {
			return Template{}, fmt.Errorf("unknown placeholder %s: use %s", m, list(allowed))
		}
	}
	probe := placeholder.ReplaceAllString(raw, "x")
	if strings.ContainsAny(probe, "{}") {
		return Template{}, errors.New("unbalanced { or }: write placeholders as {name}")
	}
	u, err := url.Parse(probe)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Template{}, errors.New("must be an absolute http(s) URL such as https://webmail.city.de/...")
	}
	return Template{raw: raw}, nil
}

func list(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, ", ")
}

// IsZero reports whether no template is set.
func (t Template) IsZero() bool { return t.raw == "" }

// Expand fills the placeholders with values, each escaped as one URL
// component (so a "/", "#", "?" or "&" in a value cannot end a path
// segment or a query value); placeholders without a value become empty.
func (t Template) Expand(values map[string]string) string {
	return placeholder.ReplaceAllStringFunc(t.raw, func(m string) string {
		return Escape(values[m[1:len(m)-1]])
	})
}

// Escape percent-encodes every byte of s except the RFC 3986 unreserved
// characters, so the result is one component in a path, a query or a
// fragment alike (url.QueryEscape would write a space as "+", which a path
// keeps literally; url.PathEscape keeps "&" and "=").
func Escape(s string) string { return escape(s, false) }

// EscapePath is Escape keeping "/" between path elements (web_url's
// {path} and {dir} of the files source).
func EscapePath(s string) string { return escape(s, true) }

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
