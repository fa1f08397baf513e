package files

import (
	"net/url"
	"strings"
)

// relPath turns an href from a multistatus into a path relative to the
// user's root: decoded, "/" separated, without leading or trailing slash;
// "" is the root itself. ok is false for hrefs outside the root and for
// paths with empty, "." or ".." elements, which no listing should contain.
//
// Hrefs are compared after percent-decoding, because servers escape
// differently (%C3%9C or %c3%9c, "+" or "%2B", "(" or "%28"). base is the
// URL of the request, against which relative hrefs resolve; the host is
// ignored since servers behind proxies often name an internal one.
func relPath(base *url.URL, rootPath, href string) (string, bool) {
	// A raw "#" or "?" in an href is a careless server's file name, never a
	// fragment or query: a multistatus href names a resource.
	if strings.ContainsAny(href, "#?") {
		href = strings.ReplaceAll(strings.ReplaceAll(href, "#", "%23"), "?", "%3F")
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	p := base.ResolveReference(ref).Path
	if p+"/" == rootPath || p == rootPath {
		return "", true
	}
	if !strings.HasPrefix(p, rootPath) {
		return "", false
	}
	rel := strings.TrimSuffix(p[len(rootPath):], "/")
	for _, seg := range strings.Split(rel, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	return rel, true
}

// hidden reports whether any element of rel starts with a dot (".git",
// ".Trash-1000/x", "a/.cache/b").
func hidden(rel string) bool {
	return strings.HasPrefix(rel, ".") || strings.Contains(rel, "/.")
}

// parent is the folder path of rel ("" for files at the root).
func parent(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return ""
}

// folderURL is the URL of the folder at rel below root, with a trailing
// slash. It is built from the decoded path rather than taken from the
// server's href, so a hostile href can never send the credentials elsewhere.
func folderURL(root *url.URL, rel string) *url.URL {
	u := *root
	if rel != "" {
		u.Path = root.Path + rel + "/"
	}
	u.RawPath = ""
	return &u
}
