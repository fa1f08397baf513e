package main

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The service worker turns a push message into a notification with its
// title, text and link. The message here is written by hand in the shape
// Pforte sends; TestBrowserPushPayloadEndToEnd hands the worker what Pforte
// really sent. The browser's push service cannot run here (STACK.md):
// DevTools hands the message to the worker as the push service would.
func TestBrowserPushShowsNotification(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")

	id := demoPushRegistration(t, tab, app.URL)
	tab.Run(t, serviceworker.DeliverPushMessage(app.URL, serviceworker.RegistrationID(id),
		`{"title":"Störung E-Mail","body":"Der Mailserver ist bis 14 Uhr nicht erreichbar.","url":"/announcements","tag":"a1"}`))
	deadline := time.Now().Add(30 * time.Second) // a busy CI machine starts the worker slowly
	for {
		var shown []string
		tab.Run(t, chromedp.Evaluate(`navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.map((n) => n.title + '|' + n.body + '|' + n.data.url))`, &shown, awaitPromise))
		if len(shown) == 1 && shown[0] == "Störung E-Mail|Der Mailserver ist bis 14 Uhr nicht erreichbar.|/announcements" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("notifications shown: %q; want the pushed one", shown)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
