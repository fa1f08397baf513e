package files

// No Nextcloud can run on the development machines, so these tests serve
// Nextcloud-shaped answers (testdata/nextcloud-*.xml) from a local HTTP
// server that checks each request the way Nextcloud would.

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// nextcloud is a strict stand-in for Nextcloud's DAV endpoints for one user.
type nextcloud struct {
	t        *testing.T
	user     string
	password string // basic auth, or
	token    string // bearer
	search   int    // status for SEARCH; 0 answers testdata/nextcloud-search.xml
	mu       sync.Mutex
	log      []string
}

func (n *nextcloud) serve(t *testing.T) *httptest.Server {
	n.t = t
	srv := httptest.NewServer(n)
	t.Cleanup(srv.Close)
	return srv
}

func (n *nextcloud) requests() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.log...)
}

func (n *nextcloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	n.log = append(n.log, r.Method+" "+r.URL.Path)
	n.mu.Unlock()
	if !n.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Nextcloud"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	userRoot := "/remote.php/dav/files/" + n.user + "/"
	switch {
	case r.Method == "SEARCH" && r.URL.Path == "/remote.php/dav/":
		if n.search != 0 {
			w.WriteHeader(n.search)
			return
		}
		if err := n.checkSearch(r); err != nil {
			n.t.Errorf("SEARCH request: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		n.answer(w, "nextcloud-search.xml")
	case r.Method == "PROPFIND" && r.Header.Get("Depth") == "1" && r.URL.Path == userRoot:
		n.answer(w, "nextcloud-propfind-root.xml")
	case r.Method == "PROPFIND" && r.Header.Get("Depth") == "1" && r.URL.Path == userRoot+"Documents/":
		n.answer(w, "nextcloud-propfind-documents.xml")
	default:
		n.t.Errorf("unexpected request %s %s (Depth %q)", r.Method, r.URL, r.Header.Get("Depth"))
		w.WriteHeader(http.StatusNotFound)
	}
}

func (n *nextcloud) authorized(r *http.Request) bool {
	if n.token != "" {
		return r.Header.Get("Authorization") == "Bearer "+n.token
	}
	u, p, ok := r.BasicAuth()
	return ok && u == n.user && p == n.password
}

// answer sends a recorded 207 body, with the user's escaped name in hrefs.
func (n *nextcloud) answer(w http.ResponseWriter, file string) {
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		n.t.Error(err)
		return
	}
	body := strings.ReplaceAll(string(b), "/files/alice/", "/files/"+url.PathEscape(n.user)+"/")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	_, _ = w.Write([]byte(body))
}

type anyProps struct {
	Names []struct{ XMLName xml.Name } `xml:",any"`
}

// searchRequest is the part of an RFC 5323 basicsearch Nextcloud acts on.
type searchRequest struct {
	XMLName xml.Name  `xml:"DAV: searchrequest"`
	Select  anyProps  `xml:"basicsearch>select>prop"`
	Scope   string    `xml:"basicsearch>from>scope>href"`
	Depth   string    `xml:"basicsearch>from>scope>depth"`
	NotType anyProps  `xml:"basicsearch>where>not>eq>prop"`
	NotLit  string    `xml:"basicsearch>where>not>eq>literal"`
	OrderBy anyProps  `xml:"basicsearch>orderby>order>prop"`
	Desc    *struct{} `xml:"basicsearch>orderby>order>descending"`
	Limit   int       `xml:"basicsearch>limit>nresults"`
}

func (n *nextcloud) checkSearch(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") && !strings.HasPrefix(ct, "text/xml") {
		return errors.New("Content-Type " + ct)
	}
	var q searchRequest
	if err := xml.NewDecoder(r.Body).Decode(&q); err != nil {
		return err
	}
	want := xml.Name{Space: "DAV:", Local: "getlastmodified"}
	switch {
	case q.Scope != "/files/"+n.user || q.Depth != "infinity":
		return errors.New("scope " + q.Scope + " depth " + q.Depth)
	case len(q.OrderBy.Names) != 1 || q.OrderBy.Names[0].XMLName != want || q.Desc == nil:
		return errors.New("not ordered by getlastmodified descending")
	case q.Limit < 8:
		return errors.New("limit below what is shown")
	case len(q.NotType.Names) != 1 || q.NotType.Names[0].XMLName.Local != "getcontenttype" || q.NotLit != "httpd/unix-directory":
		return errors.New("folders are not excluded")
	}
	for _, p := range q.Select.Names {
		if p.XMLName == (xml.Name{Space: "http://owncloud.org/ns", Local: "fileid"}) {
			return nil
		}
	}
	return errors.New("oc:fileid not selected")
}

const ncWeb = "https://cloud.example/apps/files/?dir={dir}&openfile={fileid}"

func TestNextcloudSearch(t *testing.T) {
	tests := []struct {
		name string
		nc   *nextcloud
		cred upstream.Credential
	}{
		{"basic auth", &nextcloud{user: "alice", password: "app-pw"},
			upstream.Credential{Username: "alice", Password: "app-pw"}},
		{"bearer token", &nextcloud{user: "alice", token: "tok-123"},
			upstream.Credential{Username: "alice", Token: "tok-123"}},
		{"user name escaped", &nextcloud{user: "anna müller", password: "pw"},
			upstream.Credential{Username: "anna müller", Password: "pw"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.nc.serve(t)
			c, err := New(Options{URL: srv.URL + "/remote.php/dav/files/{user}/", WebURL: ncWeb})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Fetch(context.Background(), tt.cred)
			if err != nil {
				t.Fatal(err)
			}
			want := []File{{
				Name: "Übersicht Haushalt 2026.xlsx", Path: "Documents/Übersicht Haushalt 2026.xlsx",
				Modified: date("2026-11-23T09:12:44Z"), Size: 18344, FileID: "4711",
				ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				URL:         "https://cloud.example/apps/files/?dir=/Documents&openfile=4711",
			}, {
				Name: "Plan #1 (50%).pdf", Path: "Bau & Planung/Plan #1 (50%).pdf",
				Modified: date("2026-11-22T17:30:00Z"), Size: 1048576, FileID: "4713", ContentType: "application/pdf",
				URL: "https://cloud.example/apps/files/?dir=/Bau%20%26%20Planung&openfile=4713",
			}, {
				Name: "C++ Notizen+.txt", Path: "C++ Notizen+.txt", Modified: date("2026-11-21T08:15:00Z"),
				FileID: "4715", ContentType: "text/plain", URL: "https://cloud.example/apps/files/?dir=/&openfile=4715",
			}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("files:\n got %+v\nwant %+v", got, want)
			}
			if log := tt.nc.requests(); !reflect.DeepEqual(log, []string{"SEARCH /remote.php/dav/"}) {
				t.Errorf("requests %q, want one SEARCH and no walk", log)
			}
		})
	}
}

func TestNextcloudWithoutSearchFallsBackToWalk(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusNotImplemented} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			nc := &nextcloud{user: "alice", password: "app-pw", search: status}
			srv := nc.serve(t)
			c, err := New(Options{URL: srv.URL + "/remote.php/dav/files/{user}/", WebURL: ncWeb})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Fetch(context.Background(), upstream.Credential{Username: "alice", Password: "app-pw"})
			if err != nil {
				t.Fatal(err)
			}
			var names, links []string
			for _, f := range got {
				names = append(names, f.Path)
				links = append(links, f.URL)
			}
			wantNames := []string{"Documents/Übersicht Haushalt 2026.xlsx", "C++ Notizen+.txt"}
			wantLinks := []string{
				"https://cloud.example/apps/files/?dir=/Documents&openfile=4711",
				"https://cloud.example/apps/files/?dir=/&openfile=4715",
			}
			if !reflect.DeepEqual(names, wantNames) || !reflect.DeepEqual(links, wantLinks) {
				t.Errorf("files %q %q, want %q %q", names, links, wantNames, wantLinks)
			}
			wantLog := []string{"SEARCH /remote.php/dav/", "PROPFIND /remote.php/dav/files/alice/",
				"PROPFIND /remote.php/dav/files/alice/Documents/"}
			if log := nc.requests(); !reflect.DeepEqual(log, wantLog) {
				t.Errorf("requests %q, want %q", log, wantLog)
			}
		})
	}
}

func TestNextcloudSearchRefusedCredential(t *testing.T) {
	nc := &nextcloud{user: "alice", password: "app-pw"}
	srv := nc.serve(t)
	c, err := New(Options{URL: srv.URL + "/remote.php/dav/files/{user}/"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Fetch(context.Background(), upstream.Credential{Username: "alice", Password: "revoked"})
	if upstream.KindOf(err) != upstream.KindAuth {
		t.Fatalf("err = %v, want kind auth", err)
	}
	if log := nc.requests(); len(log) != 1 {
		t.Errorf("requests %q: a refused credential must not start a walk", log)
	}
}
