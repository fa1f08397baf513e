package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// annApp is Pforte with two tenants on one Redis: the one under test on
// 127.0.0.1 (signing in through the test provider) and another on
// localhost, each with its own API token.
type annApp struct {
	*testApp
	Token, OtherToken string
	Other             string // the other tenant's base URL
	Config            string // the config file, for a second instance
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func startAnnApp(t *testing.T, o oidcEnv) *annApp {
	t.Helper()
	id, other := uniqueID("ann"), uniqueID("annother")
	tok, otherTok := "mon-"+unique()+unique(), "other-"+unique()+unique()
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testRedis(t)+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal `+id+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
    api_tokens: [{name: monitoring, sha256: `+sha(tok)+`}]
  - id: `+other+`
    hosts: [localhost]
    name: Portal `+other+`
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
    api_tokens: [{name: monitoring, sha256: `+sha(otherTok)+`}]
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	app.Tenant = id
	return &annApp{testApp: app, Token: tok, OtherToken: otherTok, Other: strings.Replace(app.URL, "127.0.0.1", "localhost", 1), Config: cfg}
}

func testRedis(t *testing.T) string {
	t.Helper()
	return testenv.Server(t, "PFORTE_TEST_REDIS_URL")
}

// api sends a JSON request with optional bearer token and extra headers
// and returns status and decoded body.
func api(t *testing.T, c *http.Client, method, url, token, body string, hdr http.Header) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

// post creates an announcement with the tenant's token and returns its id.
func (a *annApp) post(t *testing.T, body string) string {
	t.Helper()
	status, out := api(t, nil, http.MethodPost, a.URL+"/api/announcements", a.Token, body, nil)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/announcements = %d %v, want 201", status, out)
	}
	return out["id"].(string)
}

// titlesOf lists the titles in an {"announcements": [...]} answer.
func titlesOf(out map[string]any) []string {
	var titles []string
	list, _ := out["announcements"].([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		titles = append(titles, m["title"].(string))
	}
	return titles
}

// annEvent is one event read from the stream.
type annEvent struct{ Name, Data string }

// openStream opens the user's event stream and returns the events as they
// arrive; the stream closes when the test ends.
func openAnnStream(t *testing.T, b *http.Client, base string) <-chan annEvent {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/api/announcements/stream", nil)
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan annEvent, 16)
	ready := make(chan struct{})
	go func() {
		defer res.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		var ev annEvent
		first := true
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if first {
					close(ready) // the server's hello: subscribed
					first = false
				}
				if ev.Name != "" {
					out <- ev
				}
				ev = annEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.Data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("the stream sent no hello")
	}
	return out
}

// nextEvent waits (bounded) for the next event of the stream.
func nextAnnEvent(t *testing.T, ch <-chan annEvent, within time.Duration) (annEvent, bool) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		return ev, ok
	case <-time.After(within):
		return annEvent{}, false
	}
}
