// Package deploy_test checks what the container image relies on, without a
// container engine (none runs on the test machines): the binary the
// Dockerfile builds is static, and it serves with a read-only root file
// system.
package deploy_test

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// buildLikeDockerfile builds ./app with the Dockerfile's flags.
func buildLikeDockerfile(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	// Keep this test honest: it builds what the Dockerfile builds.
	for _, want := range []string{"CGO_ENABLED=0", `go build -trimpath -buildvcs=false -ldflags="-s -w" -o /out/pforte ./app`, "USER 65532:65532", "distroless/static"} {
		if !strings.Contains(string(raw), want) {
			t.Fatalf("the Dockerfile no longer has %q: update this test with it", want)
		}
	}
	bin := filepath.Join(t.TempDir(), "pforte")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, "./app")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The image has no libc and no dynamic loader: a binary that needs one
// would not start in it.
func assertStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader: it would not start on distroless/static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links shared libraries %v", libs)
	}
}

func TestImageBinaryIsStaticAndServesFromAReadOnlyRoot(t *testing.T) {
	redisURL := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	issuer := testenv.Server(t, "PFORTE_TEST_OIDC_ISSUER")
	unshare := testenv.Binary(t, "unshare")
	bin := buildLikeDockerfile(t)
	assertStatic(t, bin)

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "branding", "logo.svg"), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="#005a9c"/></svg>`)
	cfg := filepath.Join(dir, "pforte.yaml")
	writeFile(t, cfg, `
secret_key: ${PFORTE_SECRET_KEY}
store: {redis_url: "`+redisURL+`"}
tenants:
  - id: readonly-`+fmt.Sprint(time.Now().UnixNano())+`
    hosts: [127.0.0.1]
    name: Stadtportal Schreibschutz
    theme: {primary_color: "#005a9c", logo: branding/logo.svg}
    oidc: {issuer: "`+issuer+`", client_id: pforte, client_secret: "${PFORTE_OIDC_SECRET}"}
`)
	port := testenv.FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	// A private mount namespace whose root is read-only, as
	// readOnlyRootFilesystem makes it (TMPDIR included: no emptyDir here).
	script := `mount -o remount,bind,ro / || exit 97
if touch /pforte-write-probe 2>/dev/null; then exit 98; fi
exec "$0" serve`
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, bin)
	cmd.Env = []string{
		"PFORTE_CONFIG=" + cfg, fmt.Sprintf("PORT=%d", port), "PATH=/usr/bin:/bin",
		"PFORTE_SECRET_KEY=" + "Zq8mW3xT7vK2pN9rB4yH6cJ1dG5sF0aLe7Ru", "PFORTE_OIDC_SECRET=pforte-secret",
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := make(chan string, 256)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case logs <- sc.Text():
			default:
			}
		}
		close(logs)
	}()
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	waitListening(t, logs, exited, &waitErr)

	for _, c := range []struct {
		path string
		want int
	}{{"/healthz", 200}, {"/readyz", 200}, {"/login", http.StatusSeeOther}} {
		res, err := noRedirect.Get(base + c.path)
		if err != nil {
			t.Fatalf("GET %s: %v", c.path, err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != c.want {
			t.Errorf("GET %s = %d, want %d", c.path, res.StatusCode, c.want)
		}
		if c.path == "/login" && !strings.HasPrefix(res.Header.Get("Location"), issuer) {
			t.Errorf("/login redirects to %q, want the provider (a session was stored in Redis on the way)", res.Header.Get("Location"))
		}
	}

	// SIGTERM: drains and exits 0, as Kubernetes stops a pod.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("pforte on a read-only root exited with %v after SIGTERM, want 0", waitErr)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("pforte did not stop within 15 s of SIGTERM")
	}
}

var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// waitListening waits for Pforte's "listening" log line; it fails with the
// logs when the process ends first.
func waitListening(t *testing.T, logs <-chan string, exited <-chan struct{}, waitErr *error) {
	t.Helper()
	var seen []string
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-logs:
			if !ok {
				<-exited
				t.Fatalf("pforte ended before listening (%v; exit 97: no read-only remount, 98: root still writable):\n%s", *waitErr, strings.Join(seen, "\n"))
			}
			seen = append(seen, line)
			var rec struct{ Msg string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				return
			}
		case <-deadline:
			t.Fatalf("no 'listening' log within 30 s:\n%s", strings.Join(seen, "\n"))
		}
	}
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
