package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// The dashboard reads each kind of server in the stack the same way:
// Radicale with rclone, and DAViCal (found through /.well-known/caldav)
// with Apache mod_dav.
func TestBuildAgainstEachServerKind(t *testing.T) {
	kinds := []struct {
		name             string
		calEnv, filesEnv string // env prefixes of the stack's servers
		wellKnown        bool   // configure the calendar as /.well-known/caldav
	}{
		{"radicale+rclone", "PFORTE_TEST_CALDAV", "PFORTE_TEST_WEBDAV", false},
		{"davical+apache", "PFORTE_TEST_DAVICAL", "PFORTE_TEST_APACHE_WEBDAV", true},
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			mark := strings.ReplaceAll(k.name, "+", "-") + now.Format("150405.000")
			cred := userCred(t, k.calEnv+"_USERS", "alice")
			base := testenv.Server(t, k.calEnv+"_URL")
			cal := strings.TrimSuffix(base, "/") + "/alice/dash-" + strings.ReplaceAll(mark, ".", "") + "/"
			davReq(t, cred, "MKCALENDAR", cal, "", http.StatusCreated)
			t.Cleanup(func() { davReq(t, cred, http.MethodDelete, cal, "", 0) })
			start := now.Add(2 * time.Hour)
			davReq(t, cred, http.MethodPut, cal+"e.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pforte//Test//DE\r\n"+
				"BEGIN:VEVENT\r\nUID:"+mark+"\r\nDTSTAMP:20261001T120000Z\r\nDTSTART:"+start.Format("20060102T150405Z")+
				"\r\nDTEND:"+start.Add(time.Hour).Format("20060102T150405Z")+"\r\nSUMMARY:Termin "+mark+
				"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", http.StatusCreated)
			calURL := cal
			if k.wellKnown {
				u, err := url.Parse(base)
				if err != nil {
					t.Fatal(err)
				}
				calURL = u.Scheme + "://" + u.Host + "/.well-known/caldav"
			}

			dir := filepath.Join(testenv.Server(t, k.filesEnv+"_DIR"), "alice", "dash-"+mark)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			file := filepath.Join(dir, "Bericht "+mark+".odt")
			if err := os.WriteFile(file, []byte("Bericht"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(file, now.Add(time.Hour), now.Add(time.Hour)); err != nil { // newer than other tests' files
				t.Fatal(err)
			}

			tn := &config.Tenant{ID: "musterstadt", Location: time.UTC,
				Calendar: &config.DAV{URL: calURL},
				Files:    &config.DAV{URL: testenv.Server(t, k.filesEnv+"_URL")}}
			src, err := SourcesFor(tn, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := Build(context.Background(), src, 10*time.Second, Request{Now: now,
				Creds: func(context.Context, string) (upstream.Credential, error) { return cred, nil }})
			found := false
			for _, e := range d.Calendar.Events {
				found = found || (e.Title == "Termin "+mark && e.Start.Equal(start))
			}
			if d.Calendar.Status != StatusOK || !found {
				t.Errorf("calendar %+v, want ok with %q at %v", d.Calendar, "Termin "+mark, start)
			}
			if d.Files.Status != StatusOK || len(d.Files.Files) == 0 || d.Files.Files[0].Name != "Bericht "+mark+".odt" ||
				d.Files.Files[0].Modified == nil || !d.Files.Files[0].Modified.Equal(now.Add(time.Hour)) {
				t.Errorf("files %+v, want ok with the new file first", d.Files)
			}
		})
	}
}

// davReq sends one WebDAV request as cred; want 0 accepts any 2xx.
func davReq(t *testing.T, cred upstream.Credential, method, url, body string, want int) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(cred.Username, cred.Password)
	if body != "" {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if (want != 0 && resp.StatusCode != want) || (want == 0 && resp.StatusCode/100 != 2) {
		t.Fatalf("%s %s: %d, want %d", method, url, resp.StatusCode, want)
	}
}
