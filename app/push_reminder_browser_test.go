package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// reminderPush is the declarative message of a meeting reminder.
func reminderPush(t *testing.T, join, calendar string, actions bool) string {
	t.Helper()
	n := notify.DeclarativeNotification{Title: "Besprechung in 10 Min.", Body: "Teamrunde Bürgerbüro · 10:00",
		Navigate: join, Lang: "de", Tag: "rem-t1", Data: notify.DeclarativeData{ID: "t1"}}
	if actions {
		n.Actions = []notify.DeclarativeAction{{Action: "join", Title: "Beitreten", Navigate: join},
			{Action: "calendar", Title: "Kalender", Navigate: calendar},
			{Action: "evil", Title: "Evil", Navigate: "javascript:alert(1)"}}
	}
	raw, err := json.Marshal(notify.Declarative{WebPush: 8030, Notification: n, Mutable: true})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// reminderTab signs the demo employee in with notifications allowed, away
// from the dashboard, and returns the worker's registration id.
func reminderTab(t *testing.T) (*testApp, *testenv.Tab, string) {
	t.Helper()
	app := startApp(t, map[string]string{})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	id := demoPushRegistration(t, tab, app.URL)
	tab.Run(t, chromedp.Navigate(app.URL+"/settings"))
	return app, tab, id
}

// workerContext attaches to the page's service worker target.
func workerContext(t *testing.T, tab *testenv.Tab) context.Context {
	t.Helper()
	infos, err := chromedp.Targets(tab.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range infos {
		if i.Type == "service_worker" && strings.HasSuffix(i.URL, "/sw.js") {
			ctx, cancel := chromedp.NewContext(tab.Context(), chromedp.WithTargetID(i.TargetID))
			t.Cleanup(cancel)
			return ctx
		}
	}
	t.Fatal("no service worker target")
	return nil
}

// clickReminder runs the worker's notificationclick handling
// (openNotification, what its listener calls) for the shown reminder with
// action ("" for the notification itself) and returns the URL it had the
// browser open. Headless Chromium lets a worker open a window only during
// a real click on a shown notification, which DevTools cannot make; so
// the browser's clients.openWindow is the one thing replaced: it records
// the URL instead of opening it.
func clickReminder(t *testing.T, tab *testenv.Tab, action string, buttons bool) string {
	t.Helper()
	var res string
	js := `(() => {
	  if (!` + strconv.FormatBool(buttons) + `) Object.defineProperty(Notification, 'maxActions', { value: 0, configurable: true });
	  let opened = '';
	  self.clients.openWindow = (url) => { opened = url; return Promise.resolve(null); };
	  return self.registration.getNotifications({ tag: 'rem-t1' })
	    .then(([n]) => openNotification(n, ` + jsString(action) + `)).then(() => opened, (e) => 'error: ' + e);
	})()`
	ctx, cancel := context.WithTimeout(workerContext(t, tab), 15*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &res, awaitPromise)); err != nil {
		t.Fatalf("notification click (%q): %v", action, err)
	}
	return res
}

// In Chromium the service worker shows a meeting reminder with its two
// buttons; "Beitreten" opens the meeting itself, "Kalender" the web
// calendar, and a click on the notification the dashboard (the buttons
// are there). A button whose link is not http(s) is not shown.
func TestBrowserReminderJoinAction(t *testing.T) {
	app, tab, id := reminderTab(t)

	join, calendar := "https://meet.musterstadt.example/teamrunde?pwd=1", "https://mail.musterstadt.example/calendar"
	pushUntil(t, tab, app.URL, id, reminderPush(t, join, calendar, true), "the reminder with both buttons", `navigator.serviceWorker.ready.then((r) => r.getNotifications({ tag: 'rem-t1' }))
	  .then((ns) => ns.length === 1 && ns[0].title === 'Besprechung in 10 Min.' && ns[0].body === 'Teamrunde Bürgerbüro · 10:00'
	    && JSON.stringify(ns[0].actions.map((a) => a.action + ':' + a.title)) === '["join:Beitreten","calendar:Kalender"]')`)
	var maxActions int
	tab.Run(t, chromedp.Evaluate(`Notification.maxActions`, &maxActions))
	if maxActions < 2 {
		t.Fatalf("Notification.maxActions = %d: this Chromium shows no buttons", maxActions)
	}
	for _, c := range []struct {
		action  string
		buttons bool
		want    string
	}{
		{"join", true, join},
		{"calendar", true, calendar},
		{"", true, app.URL + "/"},     // the notification itself: the dashboard
		{"evil", true, app.URL + "/"}, // a dropped button opens nothing of its own
		{"", false, join},             // no buttons on this platform: the join link
	} {
		if got := clickReminder(t, tab, c.action, c.buttons); got != c.want {
			t.Errorf("click on %q (buttons %v) opened %q, want %q", c.action, c.buttons, got, c.want)
		}
	}
}

// A content-free reminder names no meeting at the push service: the
// service worker fills in a neutral text, and a click opens the dashboard.
func TestBrowserReminderContentFree(t *testing.T) {
	app, tab, id := reminderTab(t)
	raw, err := json.Marshal(notify.Declarative{WebPush: 8030, Mutable: true, Notification: notify.DeclarativeNotification{
		Title: "Besprechung in 10 Min.", Navigate: app.URL + "/", Lang: "de", Tag: "rem-t1",
		Data: notify.DeclarativeData{ID: "t1", URL: "/", ContentFree: true}}})
	if err != nil {
		t.Fatal(err)
	}
	pushUntil(t, tab, app.URL, id, string(raw), "the neutral reminder", `navigator.serviceWorker.ready.then((r) => r.getNotifications({ tag: 'rem-t1' }))
	  .then((ns) => ns.length === 1 && ns[0].title === 'Besprechung in 10 Min.' && ns[0].body === 'Besprechung beginnt bald')`)
	if got := clickReminder(t, tab, "", true); got != app.URL+"/" {
		t.Errorf("click opened %q, want the dashboard", got)
	}
}
