package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// In a real browser: alice has her dashboard open when monitoring posts an
// announcement full of script payloads. It appears in the open tab without
// a reload, its title as text, and nothing executes (a dialog listener
// would record any alert).
func TestBrowserLiveAnnouncementIsInert(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	// The event stream is open once its response headers arrive (DevTools
	// reports them); only then is a post sure to reach the open tab live.
	streamOpen := make(chan struct{})
	var once sync.Once
	chromedp.ListenTarget(tab.Context(), func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok && strings.Contains(e.Response.URL, "/api/announcements/stream") && e.Response.Status == 200 {
			once.Do(func() { close(streamOpen) })
		}
	})
	browserSignIn(t, tab, o, app.URL+"/", "alice", "alice-pw")
	tab.Run(t, chromedp.WaitVisible(`[data-announcements]`, chromedp.ByQuery))
	select {
	case <-streamOpen:
	case <-time.After(15 * time.Second):
		t.Fatal("the dashboard opened no announcement stream within 15 s")
	}

	title := `<img src=x onerror=alert('title')> Störung ` + unique()
	body := "Bitte **neu anmelden**.\n\n<script>alert('script')</script>\n\n<img src=x onerror=alert('img')>\n\n" +
		"[Details](javascript:alert('link'))\n\n<iframe src=\"javascript:alert('iframe')\"></iframe>\n\n<svg onload=alert('svg')>"
	raw := strings.NewReplacer(`"`, `\"`, "\n", `\n`).Replace
	app.post(t, `{"title":"`+raw(title)+`","body":"`+raw(body)+`","severity":"critical","groups":["hr"]}`)

	var heading string
	var injected int
	var links []string
	tab.Run(t,
		chromedp.WaitVisible(`[data-ann-list] article.severity-critical`, chromedp.ByQuery),
		chromedp.Text(`[data-ann-list] article.severity-critical h3`, &heading, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#announcements :is(script, iframe, svg, img, object, embed, [onerror], [onload])').length`, &injected),
		chromedp.Evaluate(`[...document.querySelectorAll('main a')].map(a => a.getAttribute('href') || '')`, &links),
	)
	if !strings.Contains(heading, title) {
		t.Errorf("the live announcement's heading is %q, want the title %q as text", heading, title)
	}
	if injected != 0 {
		t.Errorf("%d elements from the announcement became markup", injected)
	}
	for _, l := range links {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(l)), "javascript:") {
			t.Errorf("a javascript: link reached the page: %q", l)
		}
	}
	// A reload renders the same, on the server.
	tab.Run(t, chromedp.Reload(), chromedp.WaitVisible(`[data-ann-list] article.severity-critical`, chromedp.ByQuery))
	// The load event waits for every image, failed ones included, so any
	// onerror handler has run (and its dialog been recorded) by then.
	waitJS(t, tab, "the page to finish loading", `document.readyState === 'complete'`)
	if d := tab.Dialogs(); len(d) > 0 {
		t.Errorf("the announcement executed script: dialogs %+v", d)
	}
	for _, e := range tab.ConsoleErrors() {
		if strings.Contains(e, app.URL) { // not the provider's missing favicon
			t.Errorf("console error on Pforte: %s", e)
		}
	}
}
