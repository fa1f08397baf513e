package files

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// davServer is the rclone WebDAV server of the test stack
// (scripts/stack/50-webdav.sh): URL has {user}, Dir is its root on disk
// with one folder per user.
type davServer struct {
	URL       string
	Dir       string
	Passwords map[string]string
}

func webdavServer(t testing.TB) davServer {
	t.Helper()
	s := davServer{
		URL:       testenv.Server(t, "PFORTE_TEST_WEBDAV_URL"),
		Dir:       testenv.Server(t, "PFORTE_TEST_WEBDAV_DIR"),
		Passwords: map[string]string{},
	}
	for _, up := range strings.Split(testenv.Server(t, "PFORTE_TEST_WEBDAV_USERS"), ",") {
		u, p, _ := strings.Cut(up, ":")
		s.Passwords[u] = p
	}
	if !strings.HasSuffix(s.URL, "/") {
		s.URL += "/"
	}
	return s
}

// sandbox makes a fresh folder in user's root for one test and returns its
// path on disk and the WebDAV URL template (with {user}) of that folder, so
// tests never see each other's files.
func (s davServer) sandbox(t testing.TB, user string) (string, string) {
	t.Helper()
	disk, err := os.MkdirTemp(filepath.Join(s.Dir, user), "test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(disk) })
	return disk, s.URL + filepath.Base(disk) + "/"
}

// onDisk is a file a test writes into the server's directory.
type onDisk struct {
	path string // "/" separated, relative to the sandbox
	size int
	mod  time.Time
}

func writeFiles(t testing.TB, root string, files ...onDisk) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", f.size)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, f.mod, f.mod); err != nil {
			t.Fatal(err)
		}
	}
}

// recorder notes every request that goes out through the real transport,
// so tests can see how many requests a walk made and which folders it listed.
type recorder struct {
	mu   sync.Mutex
	reqs []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Method+" "+req.URL.Path)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.reqs...)
}
