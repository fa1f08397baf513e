package files

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// davFiles is where Nextcloud serves a user's files below its DAV root
// (https://cloud.example/remote.php/dav/files/alice/).
const davFiles = "/remote.php/dav/files/"

// searchOverfetch asks Nextcloud for more results than shown, because
// hidden files are dropped here rather than in the query.
const searchOverfetch = 4

// nextcloudSearch tells whether root looks like a Nextcloud files URL and
// returns the DAV root that answers SEARCH and the scope of the user's
// files in it ("/files/alice", or a sub-folder of it).
func nextcloudSearch(root *url.URL) (*url.URL, string, bool) {
	i := strings.LastIndex(root.Path, davFiles)
	if i < 0 {
		return nil, "", false
	}
	scope := strings.TrimSuffix(root.Path[i+len("/remote.php/dav"):], "/")
	if scope == "/files" {
		return nil, "", false
	}
	endpoint := *root
	endpoint.Path = root.Path[:i] + "/remote.php/dav/"
	endpoint.RawPath = ""
	return &endpoint, scope, true
}

// search asks Nextcloud's RFC 5323 SEARCH for the newest files below scope,
// the way the Nextcloud web interface fills its "Recent" view.
func (f *fetch) search(ctx context.Context, endpoint *url.URL, scope string) ([]File, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<d:searchrequest xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
 <d:basicsearch>
  <d:select><d:prop><d:resourcetype/><d:getlastmodified/><d:getcontentlength/><d:getcontenttype/><oc:fileid/></d:prop></d:select>
  <d:from><d:scope><d:href>`)
	_ = xml.EscapeText(&b, []byte(scope)) // a strings.Builder never fails
	fmt.Fprintf(&b, `</d:href><d:depth>infinity</d:depth></d:scope></d:from>
  <d:where><d:not><d:eq><d:prop><d:getcontenttype/></d:prop><d:literal>httpd/unix-directory</d:literal></d:eq></d:not></d:where>
  <d:orderby><d:order><d:prop><d:getlastmodified/></d:prop><d:descending/></d:order></d:orderby>
  <d:limit><d:nresults>%d</d:nresults></d:limit>
 </d:basicsearch>
</d:searchrequest>`, f.c.limit*searchOverfetch)
	f.requests++ // New makes MaxRequests at least 1
	err := f.multistatus(ctx, "SEARCH", endpoint, "", b.String(), "", func(e entry) error {
		rel, ok := relPath(endpoint, f.root.Path, e.Href)
		if ok && rel != "" && !e.Collection && !hidden(rel) {
			f.best.add(f.file(rel, e))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f.best.files, nil
}

// searchUnsupported reports whether a SEARCH failure means the server has
// no usable SEARCH there, so the walk should run instead. rclone answers
// 404 outside its base URL; Apache 405; others 400, 415 or 501.
func searchUnsupported(err error) bool {
	switch statusOf(err) {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed,
		http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity, http.StatusNotImplemented:
		return true
	}
	return false
}
