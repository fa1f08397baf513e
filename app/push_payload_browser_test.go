package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The push contract end to end: an announcement published with push goes
// out from the real binary to the strict push service (which decrypts it
// and checks VAPID), and exactly that decrypted message, handed to the
// real service worker, shows the announcement's title and text and links to
// it. Only the browser vendor's push service is a stand-in (STACK.md).
func TestBrowserPushPayloadEndToEnd(t *testing.T) {
	o := testOIDC(t)
	srv := pushtest.NewServer(t)
	app, token := startPushBinary(t, o, srv)

	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	reg := pushRegistration(t, tab, app.URL, func() {
		browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")
		tab.Run(t, chromedp.Navigate(app.URL+"/settings"))
	})

	// The device: a subscription at the push service, for the tenant's key,
	// registered by the signed-in page as the settings script would.
	var vapidKey string
	tab.Run(t, chromedp.Evaluate(`document.getElementById('push').dataset.vapidKey`, &vapidKey))
	sub := srv.NewSubscription(vapidKey)
	raw, _ := json.Marshal(sub)
	var status int
	tab.Run(t, chromedp.Evaluate(`fetch('/api/push/subscriptions', {method: 'POST', headers: {'Content-Type': 'application/json',
		'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]').content}, body: `+jsString(string(raw))+`}).then((r) => r.status)`, &status, awaitPromise))
	if status != http.StatusCreated {
		t.Fatalf("registering the device: %d, want 201", status)
	}

	title, text := "Störung E-Mail", "Der Mailserver ist bis 14 Uhr nicht erreichbar."
	code, out := api(t, nil, http.MethodPost, app.URL+"/api/announcements", token, `{"title":"`+title+`","body":"`+text+`","severity":"critical","push":true}`, nil)
	id, _ := out["id"].(string)
	if code != http.StatusCreated || id == "" {
		t.Fatalf("publish: %d %v", code, out)
	}
	var msgs []pushtest.Message
	for deadline := time.Now().Add(15 * time.Second); len(msgs) == 0; time.Sleep(100 * time.Millisecond) {
		if msgs = srv.Messages(sub); len(msgs) == 0 && time.Now().After(deadline) {
			t.Fatalf("no push reached the push service; refused: %+v\n%s", srv.Rejections(), app.Logs())
		}
	}

	pushShows(t, tab, app.URL, reg, string(msgs[0].Payload), title+"|"+text+"|/announcements#ann-"+id)
}

// startPushBinary runs the real binary for one tenant signing in at the
// test provider, trusting the push service's certificate as the system's
// (SSL_CERT_FILE), and returns it with the tenant's API token.
func startPushBinary(t *testing.T, o oidcEnv, srv *pushtest.Server) (*binaryApp, string) {
	t.Helper()
	dir := t.TempDir()
	system, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		t.Fatalf("system CA bundle: %v", err)
	}
	bundle := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(bundle, append(system, srv.CertificatePEM()...), 0o600); err != nil {
		t.Fatal(err)
	}
	tok := "mon-" + unique() + unique()
	cfg := writeFile(t, dir, "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testRedis(t)+`"}
push: {subject: it@musterstadt.example, allow_hosts: ["`+srv.Host()+`"]}
tenants:
  - id: `+uniqueID("pushe2e")+`
    hosts: [127.0.0.1]
    name: Portal Musterstadt
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", admin_groups: [it-admins], scopes: [groups, offline_access]}
    api_tokens: [{name: monitoring, sha256: `+sha(tok)+`}]
`)
	app := startBinary(t, buildPforte(t), map[string]string{"PFORTE_CONFIG": cfg, "SSL_CERT_FILE": bundle})
	if !strings.HasPrefix(app.URL, "http://127.0.0.1:") {
		t.Fatalf("listening at %s", app.URL)
	}
	return app, tok
}
