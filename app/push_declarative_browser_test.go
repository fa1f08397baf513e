package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// badgeJS asks the service worker which app badge it set last.
const badgeJS = `navigator.serviceWorker.ready.then((r) => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = (e) => resolve(e.data);
  r.active.postMessage({ type: 'badge' }, [ch.port2]);
}))`

// waitNotification polls the shown notifications until one equals want
// ("title|body|data.url").

// The Declarative Web Push message Pforte sends (the same bytes the strict
// push service decrypts in the outbox tests) is shown by the service
// worker with its title, text and link, and sets the app badge.
func TestBrowserDeclarativePushShowsAndBadges(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	id := demoPushRegistration(t, tab, app.URL)
	// Away from the dashboard, whose announcements count as read.
	tab.Run(t, chromedp.Navigate(app.URL+"/settings"))

	a := &announce.Announcement{ID: "decl1", Title: "Phishing-Welle", Body: "Keine Links in Mails von »IT-Support« öffnen."}
	msg, err := notify.Payload(a, notify.TenantPush{Lang: "de", Origin: app.URL}, 1)
	if err != nil {
		t.Fatal(err)
	}
	pushShows(t, tab, app.URL, id, string(msg), "Phishing-Welle|Keine Links in Mails von »IT-Support« öffnen.|/announcements#ann-decl1")
	var badge struct {
		Badge int
		API   bool
	}
	tab.Run(t, chromedp.Evaluate(badgeJS, &badge, awaitPromise))
	if badge.Badge != 1 {
		t.Errorf("app badge %d after one push, want 1 (Badging API in the worker: %v)", badge.Badge, badge.API)
	}
	// Reading the announcements clears notification and badge.
	tab.Run(t, chromedp.Navigate(app.URL+"/announcements"))
	deadline := time.Now().Add(30 * time.Second) // a busy CI machine starts the worker slowly
	for {
		tab.Run(t, chromedp.Evaluate(badgeJS, &badge, awaitPromise))
		if badge.Badge == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("app badge still %d after the announcements were read", badge.Badge)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Content-free declarative push: only a neutral title and the link pass
// the push service; the service worker shows the real text it fetches from
// Pforte with the user's session.
func TestBrowserDeclarativeContentFreeFetchesText(t *testing.T) {
	app := startApp(t, map[string]string{})
	admin := browser(t)
	_, page := do(t, admin, http.MethodGet, app.URL+"/login", nil, nil)
	_, page = do(t, admin, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"admin"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/announcements", strings.NewReader(`{"title":"Phishing-Warnung","body":"Bitte die Mail »Gehaltsabrechnung« löschen.","severity":"critical","push":true}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrfOf(t, page))
	req.Header.Set("Origin", app.URL)
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created announce.Announcement
	_ = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || created.ID == "" {
		t.Fatalf("create announcement: %d", res.StatusCode)
	}
	msg, err := notify.Payload(&created, notify.TenantPush{Lang: "de", Origin: app.URL, Config: config.TenantPush{ContentFree: true}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(msg), "Phishing") || !strings.Contains(string(msg), "Neue Meldung der IT") {
		t.Fatalf("content-free message %s: want only the neutral title", msg)
	}
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	id := demoPushRegistration(t, tab, app.URL)
	pushShows(t, tab, app.URL, id, string(msg), "Phishing-Warnung|Bitte die Mail »Gehaltsabrechnung« löschen.|/announcements#ann-"+created.ID)
}
