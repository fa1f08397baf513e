package main

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// cachedEntry is one response in the browser's Cache Storage, as a page
// script can read it.
type cachedEntry struct {
	Cache string `json:"cache"`
	URL   string `json:"url"`
	Body  string `json:"body"`
}

const dumpCachesJS = `(async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const c = await caches.open(name);
    for (const req of await c.keys()) {
      const res = await c.match(req);
      out.push({cache: name, url: req.url, body: await res.text()});
    }
  }
  return out;
})()`

// cacheContents is everything the site's caches hold right now.
func cacheContents(t *testing.T, tab *testenv.Tab) []cachedEntry {
	t.Helper()
	var out []cachedEntry
	tab.Run(t, chromedp.Evaluate(dumpCachesJS, &out, awaitPromise))
	return out
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// waitJS waits until the JavaScript expression (which may be a promise)
// is true in the page.
func waitJS(t *testing.T, tab *testenv.Tab, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a busy CI machine starts the worker slowly
	for {
		var ok bool
		tab.Run(t, chromedp.Evaluate(expr, &ok, awaitPromise))
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s (%s) at %s\nconsole errors: %v", what, expr, tab.Location(t), tab.ConsoleErrors())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shownJS lists the notifications shown as "title|body|data.url".
const shownJS = `navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.map((n) => n.title + '|' + n.body + '|' + (n.data && n.data.url)))`

// pushUntil hands msg to the service worker of registration regID through
// DevTools, as a browser's push service would, and polls shown (a promise
// of a boolean in the page) until it holds, 30 s at most. DevTools'
// delivery is a test hook, and on a busy CI machine it was lost now and
// then (nothing at all shown after 30 s, in three different tests), so it
// is repeated after 10 and 20 s while shown fails. Only for messages whose
// repeat changes nothing a test checks: a notification with the same tag
// replaces the last, the badge is the number of open ones, and the server
// counts "shown" once per person.
func pushUntil(t *testing.T, tab *testenv.Tab, base, regID, msg, what, shown string) {
	t.Helper()
	start := time.Now()
	for sent := 0; ; time.Sleep(100 * time.Millisecond) {
		if sent < 3 && time.Since(start) >= time.Duration(sent)*10*time.Second {
			tab.Run(t, serviceworker.DeliverPushMessage(base, serviceworker.RegistrationID(regID), msg))
			sent++
		}
		var ok bool
		tab.Run(t, chromedp.Evaluate(shown, &ok, awaitPromise))
		if ok {
			return
		}
		if time.Since(start) > 30*time.Second {
			var list []string
			tab.Run(t, chromedp.Evaluate(shownJS, &list, awaitPromise))
			t.Fatalf("waited 30s (%d deliveries) for %s; notifications shown: %q\nconsole errors: %v", sent, what, list, tab.ConsoleErrors())
		}
	}
}

// pushShows is pushUntil for "exactly one notification, this one"
// (title|body|data.url).
func pushShows(t *testing.T, tab *testenv.Tab, base, regID, msg, want string) {
	t.Helper()
	js, err := json.Marshal([]string{want})
	if err != nil {
		t.Fatal(err)
	}
	pushUntil(t, tab, base, regID, msg, "the notification "+want, shownJS+`.then((l) => JSON.stringify(l) === JSON.stringify(`+string(js)+`))`)
}

// waitControlled waits until the service worker controls the page.
func waitControlled(t *testing.T, tab *testenv.Tab) {
	t.Helper()
	// Controlled and activated: a push delivered to a worker still
	// activating may not reach it.
	waitJS(t, tab, "the service worker to control the page",
		`navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller.state === 'activated'`)
}

// waitPageKept waits until the service worker keeps path in a user's cache
// and that copy contains want.
func waitPageKept(t *testing.T, tab *testenv.Tab, path, want string) {
	t.Helper()
	loc, err := url.Parse(tab.Location(t))
	if err != nil {
		t.Fatal(err)
	}
	full := loc.Scheme + "://" + loc.Host + path
	deadline := time.Now().Add(15 * time.Second)
	for {
		entries := cacheContents(t, tab)
		for _, e := range entries {
			if strings.HasPrefix(e.Cache, "pforte-user-") && e.URL == full && strings.Contains(e.Body, want) {
				return
			}
		}
		if time.Now().After(deadline) {
			var held []string
			for _, e := range entries {
				held = append(held, e.Cache+" "+e.URL)
			}
			var diag string
			tab.Run(t, chromedp.Evaluate(`(async () => { const r = await navigator.serviceWorker.getRegistration(); return JSON.stringify({ctl: navigator.serviceWorker.controller && navigator.serviceWorker.controller.state, active: r && r.active && r.active.state, waiting: !!(r && r.waiting), installing: !!(r && r.installing), keys: await caches.keys(), loc: location.href}); })()`, &diag, awaitPromise))
			t.Fatalf("waited 15s for the service worker to keep %s with %q; %s; the caches hold:\n%s", path, want, diag, strings.Join(held, "\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// goOffline cuts the page AND its service worker off the network (see
// STACK.md: the worker is a target of its own and fetches otherwise).
func goOffline(t *testing.T, tab *testenv.Tab) {
	t.Helper()
	offline := network.EmulateNetworkConditions(true, 0, -1, -1)
	tab.Run(t, network.Enable(), offline)
	infos, err := chromedp.Targets(tab.Context())
	if err != nil {
		t.Fatalf("list browser targets: %v", err)
	}
	var sw *target.Info
	for _, i := range infos {
		if i.Type == "service_worker" && strings.HasSuffix(i.URL, "/sw.js") {
			sw = i
		}
	}
	if sw == nil {
		t.Fatalf("no service worker target among %d targets", len(infos))
	}
	swCtx, cancelSW := chromedp.NewContext(tab.Context(), chromedp.WithTargetID(sw.TargetID))
	t.Cleanup(cancelSW)
	ctx, cancel := context.WithTimeout(swCtx, 15*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, network.Enable(), offline); err != nil {
		t.Fatalf("take the service worker offline: %v", err)
	}
}

// requestsServed counts the requests the app has logged so far.
func requestsServed(app *testApp) int {
	return strings.Count(app.Logs(), `"msg":"request"`)
}

// signInDemo signs in as the demo employee with the chooser's button.
func signInDemo(t *testing.T, tab *testenv.Tab, base string) {
	t.Helper()
	tab.Run(t,
		chromedp.Navigate(base+"/login"),
		chromedp.Click(`button[name="user"][value="employee"]`, chromedp.ByQuery),
		chromedp.WaitVisible(signOutButton, chromedp.BySearch),
	)
}

// freePort returns a port that was free a moment ago, for an app that
// must restart on the same address.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// demoPushRegistration signs the demo employee in with notifications
// allowed and returns the service worker registration DevTools reports,
// for delivering push messages to it.
func demoPushRegistration(t *testing.T, tab *testenv.Tab, base string) string {
	t.Helper()
	return pushRegistration(t, tab, base, func() { signInDemo(t, tab, base) })
}

// pushRegistration allows notifications, signs in with signIn and returns
// the service worker registration DevTools reports.
func pushRegistration(t *testing.T, tab *testenv.Tab, base string, signIn func()) string {
	t.Helper()
	var mu sync.Mutex
	var regID string
	chromedp.ListenTarget(tab.Context(), func(ev any) {
		if e, ok := ev.(*serviceworker.EventWorkerRegistrationUpdated); ok {
			mu.Lock()
			defer mu.Unlock()
			for _, r := range e.Registrations {
				if !r.IsDeleted && strings.HasPrefix(r.ScopeURL, base) {
					regID = string(r.RegistrationID)
				}
			}
		}
	})
	tab.Run(t, serviceworker.Enable(),
		cdpbrowser.GrantPermissions([]cdpbrowser.PermissionType{cdpbrowser.PermissionTypeNotifications}).WithOrigin(base))
	signIn()
	waitControlled(t, tab)
	mu.Lock()
	id := regID
	mu.Unlock()
	if id == "" {
		t.Fatal("DevTools reported no service worker registration")
	}
	return id
}
