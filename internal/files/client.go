// Package files lists a user's most recently modified files from a WebDAV
// server (Nextcloud, ownCloud, Apache mod_dav, rclone, ...).
//
// It walks folders breadth-first with PROPFIND Depth: 1, because servers
// differ on Depth: infinity (Apache refuses it by default), and bounds the
// walk by folders, requests and depth so one huge share cannot stall the
// dashboard. On Nextcloud it asks the server's SEARCH method for the newest
// files instead and falls back to the walk when SEARCH is not available.
package files

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/itemurl"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// source names this connector in upstream errors.
const source = "files"

// Defaults for the zero values of Options.
const (
	DefaultLimit       = 8
	DefaultMaxFolders  = 200
	DefaultMaxRequests = 50
	DefaultMaxDepth    = 6
)

// Options configure a Client.
type Options struct {
	// URL is the WebDAV folder of one user, for example
	// https://cloud.example/remote.php/dav/files/{user}/. The placeholder
	// {user} is replaced by the path-escaped user name of the credential.
	URL string
	// WebURL is where a user opens a file in a browser; see Client.Fetch for
	// its placeholders. Empty leaves File.URL empty.
	WebURL string
	// WebItemURL, when set, replaces WebURL for a file's link. Its
	// placeholders {path}, {dir}, {name} and {fileid} are each escaped as
	// one URL component, "/" included (itemurl.Escape).
	WebItemURL string
	// Limit is how many files Fetch returns (default 8).
	Limit int
	// MaxFolders bounds how many folders the walk lists, the root included
	// (default 200).
	MaxFolders int
	// MaxRequests bounds the HTTP requests of one Fetch (default 50).
	MaxRequests int
	// MaxDepth is how many folder levels below the root are listed
	// (default 6): files in a/b/c/d/e/f/ are found, those in a/b/c/d/e/f/g/
	// are not.
	MaxDepth int
	// HTTPClient sends the requests; nil means a client of its own with a
	// 30 s timeout that keeps a few connections open between fetches.
	HTTPClient *http.Client
}

// File is one file as the server describes it. All of it is untrusted
// upstream data: escape it when rendering.
type File struct {
	Name        string    // last path element, unescaped
	Path        string    // relative to the user's root, "/" separated, unescaped, no leading slash
	Modified    time.Time // getlastmodified; zero when the server did not say
	Size        int64     // getcontentlength in bytes
	ContentType string    // getcontenttype as sent
	URL         string    // deep link built from Options.WebURL
	FileID      string    // Nextcloud/ownCloud oc:fileid, empty elsewhere
}

// Client fetches recent files. It is safe for concurrent use.
type Client struct {
	url         string
	web         string
	item        itemurl.Template
	limit       int
	maxFolders  int
	maxRequests int
	maxDepth    int
	http        *http.Client
	noSearch    searchMemo
}

// New checks opts and returns a Client.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(upstream.ProbeURL(opts.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("files: URL %q is not an http(s) URL", opts.URL)
	}
	if opts.WebURL != "" {
		w, err := url.Parse(webURLProbe(opts.WebURL))
		if err != nil || (w.Scheme != "http" && w.Scheme != "https") || w.Host == "" {
			return nil, fmt.Errorf("files: web URL %q is not an http(s) URL", opts.WebURL)
		}
	}
	item, err := itemurl.Parse(opts.WebItemURL, itemurl.Files())
	if err != nil {
		return nil, fmt.Errorf("files: web item URL %q: %w", opts.WebItemURL, err)
	}
	if opts.Limit < 0 || opts.MaxFolders < 0 || opts.MaxRequests < 0 || opts.MaxDepth < 0 {
		return nil, errors.New("files: limits must not be negative")
	}
	c := &Client{
		url:         opts.URL,
		web:         opts.WebURL,
		item:        item,
		limit:       orDefault(opts.Limit, DefaultLimit),
		maxFolders:  orDefault(opts.MaxFolders, DefaultMaxFolders),
		maxRequests: orDefault(opts.MaxRequests, DefaultMaxRequests),
		maxDepth:    orDefault(opts.MaxDepth, DefaultMaxDepth),
		http:        opts.HTTPClient,
	}
	if c.http == nil {
		// Keep a connection per parallel listing instead of the default two.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = parallel
		c.http = &http.Client{Timeout: 30 * time.Second, Transport: t}
	}
	return c, nil
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Fetch returns the user's most recently modified files, newest first, at
// most Options.Limit of them. Hidden files and folders (a name starting
// with a dot) are left out. When the walk reaches one of its bounds, Fetch
// returns the newest files it saw up to then without an error.
//
// File.URL is Options.WebURL with these placeholders replaced:
//
//	{path}    the file's path with a leading slash, percent-escaped
//	          ("/Docs/%C3%9Cbersicht%20Haushalt.xlsx")
//	{dir}     the path of the file's folder, escaped the same way ("/Docs", "/" at the root)
//	{fileid}  the server's oc:fileid, escaped; empty when the server has none
//
// Everything but ASCII letters, digits, "-", ".", "_", "~" (and "/" between
// path elements) is escaped, so the values are safe in a path and in a query.
// A WebURL without placeholders is used as it is. Nextcloud's deep link is
// https://cloud.example/apps/files/?dir={dir}&openfile={fileid}.
//
// Errors are *upstream.Error with Source "files".
func (c *Client) Fetch(ctx context.Context, cred upstream.Credential) ([]File, error) {
	if cred.Token == "" && cred.Password == "" {
		return nil, upstream.Wrap(source, upstream.KindNotSetUp, errors.New("fetch: no credential"))
	}
	if strings.Contains(c.url, "{user}") && !usableName(cred.Username) {
		// An escaped "/" would be lost when paths are decoded, so "a/../b"
		// could reach another user's folder.
		return nil, upstream.Wrap(source, upstream.KindNotSetUp, errors.New("fetch: user name cannot name a folder"))
	}
	expanded, err := upstream.ExpandURL(source, c.url, cred)
	if err != nil {
		return nil, err
	}
	root, err := url.Parse(expanded)
	if err != nil {
		return nil, upstream.Wrap(source, upstream.KindNotSetUp, fmt.Errorf("fetch: URL for this user: %w", err))
	}
	if !strings.HasSuffix(root.Path, "/") {
		root.Path += "/"
	}
	root.RawPath = ""
	root.RawQuery, root.Fragment = "", ""
	f := &fetch{c: c, cred: cred, root: root, best: newest{n: c.limit}}
	if endpoint, scope, ok := nextcloudSearch(root); ok && !c.noSearch.skip(time.Now()) {
		files, err := f.search(ctx, endpoint, scope)
		if err == nil {
			return files, nil
		}
		if !searchUnsupported(err) {
			return nil, err
		}
		c.noSearch.refused(time.Now())
	}
	return f.walk(ctx)
}

// usableName reports whether a user name can stand for {user} in a path.
func usableName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\")
}

// fetch is the state of one Fetch call.
type fetch struct {
	c        *Client
	cred     upstream.Credential
	root     *url.URL // the user's root folder, Path ends in "/"
	requests int
	best     newest
}

// file turns a parsed entry at path rel into a File.
func (f *fetch) file(rel string, e entry) File {
	return File{
		Name:        rel[strings.LastIndexByte(rel, '/')+1:],
		Path:        rel,
		Modified:    e.Modified,
		Size:        e.Size,
		ContentType: e.ContentType,
		URL:         f.c.link(rel, e.FileID),
		FileID:      e.FileID,
	}
}
