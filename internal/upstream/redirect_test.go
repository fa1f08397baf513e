package upstream

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A PROPFIND redirected on its own server is sent again as PROPFIND with
// its body and credentials; a redirect to another server is not followed,
// so the password never reaches it.
func TestDoDAVFollowsRedirectsOnlyOnTheSameServer(t *testing.T) {
	var foreignHits atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		w.WriteHeader(http.StatusMultiStatus)
	}))
	defer foreign.Close()
	var got struct {
		method, body, auth string
	}
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/caldav":
			http.Redirect(w, r, "/dav/", http.StatusMovedPermanently)
		case "/elsewhere":
			http.Redirect(w, r, foreign.URL+"/dav/", http.StatusMovedPermanently)
		case "/dav/":
			b, _ := io.ReadAll(r.Body)
			got.method, got.body, got.auth = r.Method, string(b), r.Header.Get("Authorization")
			w.WriteHeader(http.StatusMultiStatus)
		default:
			http.NotFound(w, r)
		}
	}))
	defer home.Close()

	send := func(path string) *http.Response {
		req, _ := http.NewRequest("PROPFIND", home.URL+path, strings.NewReader("<propfind/>"))
		req.SetBasicAuth("alice", "alice-pw")
		resp, err := DoDAV(home.Client(), req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := send("/.well-known/caldav"); resp.StatusCode != http.StatusMultiStatus {
		t.Fatalf("well-known PROPFIND ended with %d, want the 207 of /dav/", resp.StatusCode)
	}
	if got.method != "PROPFIND" || got.body != "<propfind/>" || got.auth == "" {
		t.Errorf("redirected request: %+v, want PROPFIND with its body and credentials", got)
	}
	if resp := send("/elsewhere"); resp.StatusCode != http.StatusMovedPermanently || foreignHits.Load() != 0 {
		t.Errorf("redirect to another server: status %d, %d requests there; want the 301 back and none sent",
			resp.StatusCode, foreignHits.Load())
	}
}
