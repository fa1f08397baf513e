package web

import (
	"net/http"
	"sync"
	"testing"
)

// The first pages a fresh instance renders may be rendered at the same
// moment (a browser opens two tabs): Fiber's lazily filled view list must
// be ready before that, or `go test -race` reports a data race here.
func TestFirstRendersAtOnce(t *testing.T) {
	ts := newTestServer(t)
	var wg sync.WaitGroup
	for _, path := range []string{"/accessibility", "/login", "/accessibility", "/login"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, "http://"+hostA+path, nil)
			res, err := ts.srv.app.Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d", path, res.StatusCode)
			}
		}()
	}
	wg.Wait()
}
