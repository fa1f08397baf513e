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

// davServer is a WebDAV server of the test stack: URL has {user}, Dir is
// its root on disk with one folder per user.
type davServer struct {
	Name      string // "rclone", "apache"
	URL       string
	Dir       string
	Passwords map[string]string
}

// webdavServer is rclone (scripts/stack/50-webdav.sh), in a
// Nextcloud-shaped layout.
func webdavServer(t testing.TB) davServer {
	t.Helper()
	return stackServer(t, "rclone", "PFORTE_TEST_WEBDAV")
}

// davServers are every kind of WebDAV server in the stack: rclone and
// Apache mod_dav_fs (scripts/stack/55-apache.sh), for table tests.
func davServers(t testing.TB) []davServer {
	t.Helper()
	return []davServer{webdavServer(t), stackServer(t, "apache", "PFORTE_TEST_APACHE_WEBDAV")}
}

// stackServer reads PREFIX_URL, PREFIX_DIR and PREFIX_USERS.
func stackServer(t testing.TB, name, prefix string) davServer {
	t.Helper()
	s := davServer{
		Name:      name,
		URL:       testenv.Server(t, prefix+"_URL"),
		Dir:       testenv.Server(t, prefix+"_DIR"),
		Passwords: map[string]string{},
	}
	for _, up := range strings.Split(testenv.Server(t, prefix+"_USERS"), ",") {
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
	// Apache reads it as www-data; MkdirTemp makes it 0700.
	if err := os.Chmod(disk, 0o755); err != nil {
		t.Fatal(err)
	}
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
