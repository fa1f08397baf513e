package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// stallState asks the test provider how many refreshes of tok arrived and
// how many the client gave up on.
func stallState(t *testing.T, issuer, method, tok string) (seen, abandoned int) {
	t.Helper()
	var res *http.Response
	var err error
	if method == http.MethodPost {
		res, err = http.PostForm(issuer+"/test/stall-refresh", url.Values{"refresh_token": {tok}})
	} else {
		res, err = http.Get(issuer + "/test/stall-refresh?" + url.Values{"refresh_token": {tok}}.Encode())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if _, err := fmt.Sscanf(string(b), "seen %d abandoned %d", &seen, &abandoned); err != nil {
		t.Fatalf("provider /test/stall-refresh: %d %q", res.StatusCode, b)
	}
	return seen, abandoned
}

// Issue 17, point 4: the provider stalls on the token refresh. Concurrent
// requests of the session share one refresh, Pforte gives up on it after
// the source timeout, the dashboard answers from its cache and the user
// stays signed in.
func TestStalledProviderRefreshGivesUp(t *testing.T) {
	o := testOIDC(t)
	o.ClientID = testenv.Server(t, "PFORTE_TEST_OIDC_SOON_CLIENT_ID") // always due for refresh
	o.Secret = testenv.Server(t, "PFORTE_TEST_OIDC_SOON_CLIENT_SECRET")
	app, redisURL := signInAppWith(t, "stall", o, "dashboard: {source_timeout: 1s}")
	b := browser(t)
	if res, page := signIn(t, b, app.URL, "/", "carol", "carol-pw"); !strings.Contains(page, "Carla Özdemir") {
		t.Fatalf("sign-in failed: %d at %s", res.StatusCode, res.Request.URL)
	}
	if res, _ := do(t, b, http.MethodGet, app.URL+"/api/dashboard", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard before the stall: %d", res.StatusCode)
	}
	tok := onlyUser(t, redisURL, app.Tenant).Tokens.Refresh
	stallState(t, o.Issuer, http.MethodPost, tok)

	// Without a timeout these would hang for the provider's whole stall
	// (a minute); the client's own limit only keeps a broken build from
	// hanging the test run.
	client := &http.Client{Jar: b.Jar, Timeout: 45 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			res, err := client.Get(app.URL + "/api/dashboard")
			if err != nil {
				errs <- err.Error()
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"mail"`) {
				errs <- fmt.Sprintf("%d %.100s", res.StatusCode, body)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("dashboard while the provider stalls: %s", e)
	}
	seen, abandoned := stallState(t, o.Issuer, http.MethodGet, tok)
	if seen != 1 || abandoned != 1 {
		t.Errorf("provider saw %d refreshes, %d given up by Pforte; want 1 shared refresh, given up", seen, abandoned)
	}
	if n := signedIn(t, redisURL, app.Tenant); n != 1 {
		t.Errorf("%d signed-in sessions after a stalled refresh, want 1 (kept)", n)
	}
}
