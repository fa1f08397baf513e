package main

import (
	"testing"

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
	pushShows(t, tab, app.URL, id, `{"title":"Störung E-Mail","body":"Der Mailserver ist bis 14 Uhr nicht erreichbar.","url":"/announcements","tag":"a1"}`,
		"Störung E-Mail|Der Mailserver ist bis 14 Uhr nicht erreichbar.|/announcements")
}
