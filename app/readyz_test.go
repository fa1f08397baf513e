package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// /readyz follows Redis: 503 while it is down, 200 again once it is back,
// with no restart of Pforte and no panic.
func TestReadyzFollowsRedis(t *testing.T) {
	redis := testenv.StartRedis(t)
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
secret_key: `+testSecret+`
store: {redis_url: "`+redis.URL+`"}
tenants: [{id: test, hosts: [127.0.0.1], name: Testportal}]
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})

	if status, body, _ := get(t, app.URL, "/readyz", ""); status != http.StatusOK {
		t.Fatalf("readyz with Redis up = %d %s", status, body)
	}
	redis.Stop()
	waitStatus(t, app.URL+"/readyz", http.StatusServiceUnavailable, 10*time.Second)
	if status, _, _ := get(t, app.URL, "/healthz", ""); status != http.StatusOK {
		t.Errorf("healthz while Redis is down = %d, want 200 (the process is alive)", status)
	}
	redis.Start()
	waitStatus(t, app.URL+"/readyz", http.StatusOK, 15*time.Second)
	if strings.Contains(app.Logs(), "panic") {
		t.Errorf("logs mention a panic:\n%s", app.Logs())
	}
}

func waitStatus(t *testing.T, url string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	last := 0
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			last = res.StatusCode
			res.Body.Close()
			if last == want {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s stayed %d, want %d within %v", url, last, want, within)
}
