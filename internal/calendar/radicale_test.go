package calendar

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// davServer is a CalDAV server started by scripts/stack.sh.
type davServer struct {
	name  string // "radicale", "davical"
	base  string // where user folders are: http://127.0.0.1:P/ or http://127.0.0.1:P/caldav.php/
	users map[string]string
}

// radicale is Radicale (40-radicale.sh), which serves CalDAV at its root.
func radicale(t testing.TB) davServer {
	t.Helper()
	return stackServer(t, "radicale", "PFORTE_TEST_CALDAV")
}

// calServers are every kind of CalDAV server in the stack: Radicale and
// DAViCal (45-davical.sh), for table tests.
func calServers(t testing.TB) []davServer {
	t.Helper()
	return []davServer{radicale(t), stackServer(t, "davical", "PFORTE_TEST_DAVICAL")}
}

// stackServer reads PREFIX_URL and PREFIX_USERS.
func stackServer(t testing.TB, name, prefix string) davServer {
	t.Helper()
	s := davServer{name: name, base: testenv.Server(t, prefix+"_URL"), users: map[string]string{}}
	for _, pair := range strings.Split(testenv.Server(t, prefix+"_USERS"), ",") {
		u, pw, _ := strings.Cut(pair, ":")
		s.users[u] = pw
	}
	if !strings.HasSuffix(s.base, "/") {
		s.base += "/"
	}
	return s
}

// root is the server's scheme://host/, where /.well-known/ lives.
func (s davServer) root() string { return serverRoot(s.base) }

func (s davServer) cred(user string) upstream.Credential {
	return upstream.Credential{Username: user, Password: s.users[user]}
}

func (s davServer) do(t testing.TB, user, method, url string, body []byte, wantStatus int) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, s.users[user])
	if method == http.MethodPut {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != wantStatus && !(method == http.MethodDelete && resp.StatusCode == http.StatusNoContent) {
		t.Fatalf("%s %s: HTTP %d, want %d", method, url, resp.StatusCode, wantStatus)
	}
}

// newCalendar creates a calendar collection with a unique name for user
// and returns its URL; it is deleted when the test ends.
func (s davServer) newCalendar(t testing.TB, user string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	url := s.base + user + "/test-" + hex.EncodeToString(b) + "/"
	s.do(t, user, "MKCALENDAR", url, nil, http.StatusCreated)
	t.Cleanup(func() { s.do(t, user, http.MethodDelete, url, nil, http.StatusOK) })
	return url
}

func (s davServer) put(t testing.TB, user, calURL, name string, ics []byte) {
	t.Helper()
	s.do(t, user, http.MethodPut, calURL+name, ics, http.StatusCreated)
}

// seed creates a calendar for user holding testdata/seed/*.ics.
func (s davServer) seed(t testing.TB, user string) string {
	t.Helper()
	cal := s.newCalendar(t, user)
	files, err := filepath.Glob("testdata/seed/*.ics")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s.put(t, user, cal, filepath.Base(f), data)
	}
	return cal
}
