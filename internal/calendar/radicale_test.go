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

// davServer is the Radicale started by scripts/stack.sh (40-radicale.sh).
type davServer struct {
	base  string // http://127.0.0.1:P/
	users map[string]string
}

func radicale(t testing.TB) davServer {
	t.Helper()
	s := davServer{base: testenv.Server(t, "PFORTE_TEST_CALDAV_URL"), users: map[string]string{}}
	for _, pair := range strings.Split(testenv.Server(t, "PFORTE_TEST_CALDAV_USERS"), ",") {
		u, pw, _ := strings.Cut(pair, ":")
		s.users[u] = pw
	}
	if !strings.HasSuffix(s.base, "/") {
		s.base += "/"
	}
	return s
}

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
	if resp.StatusCode != wantStatus {
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
