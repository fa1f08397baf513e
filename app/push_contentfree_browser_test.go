package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Content-free push: the message holds only the announcement id, and the
// service worker fetches the text from Pforte with the user's session
// before it shows the notification.
func TestBrowserContentFreePushFetchesText(t *testing.T) {
	app := startApp(t, map[string]string{})

	// IT (the demo admin) publishes an announcement.
	admin := browser(t)
	_, page := do(t, admin, http.MethodGet, app.URL+"/login", nil, nil)
	_, page = do(t, admin, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"admin"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	body := `{"title":"Phishing-Warnung","body":"Bitte keine Links in der Mail »Gehaltsabrechnung« öffnen.","severity":"critical","push":true}`
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/announcements", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrfOf(t, page))
	req.Header.Set("Origin", app.URL)
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	_ = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || created.ID == "" {
		t.Fatalf("create announcement: %d", res.StatusCode)
	}

	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	id := demoPushRegistration(t, tab, app.URL)
	msg := `{"id":"` + created.ID + `","url":"/announcements#ann-` + created.ID + `","tag":"ann-` + created.ID + `"}`
	deliver := func() { tab.Run(t, serviceworker.DeliverPushMessage(app.URL, serviceworker.RegistrationID(id), msg)) }
	deliver()
	// DevTools' delivery (a test hook, not a push service) was twice lost on
	// a busy CI machine: nothing at all was shown, not even the neutral
	// notification the worker shows when its fetch fails. It is delivered
	// again after 10 s; the same tag replaces a notification, and the
	// server counts "shown" once per person, so a second delivery changes
	// nothing the test checks.
	start, again := time.Now(), false
	deadline := start.Add(30 * time.Second) // a busy CI machine starts the worker slowly
	for {
		var shown []string
		tab.Run(t, chromedp.Evaluate(`navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.map((n) => n.title + '|' + n.body))`, &shown, awaitPromise))
		if len(shown) == 1 && shown[0] == "Phishing-Warnung|Bitte keine Links in der Mail »Gehaltsabrechnung« öffnen." {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("notifications shown: %q; want the announcement's text fetched by the service worker", shown)
		}
		if len(shown) == 0 && !again && time.Since(start) > 10*time.Second {
			deliver()
			again = true
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The worker reported the notification as shown: the admin sees it.
	deadline = time.Now().Add(10 * time.Second)
	for {
		_, detail := do(t, admin, http.MethodGet, app.URL+"/admin/announcements/"+created.ID, nil, nil)
		if strings.Contains(detail, `data-fig="shown">1<`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("admin page does not count the shown notification")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
