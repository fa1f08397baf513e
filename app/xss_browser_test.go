package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Upstream data is untrusted: a mail subject, an event title and a file name
// carrying script and HTML show as literal text in a real browser, and
// nothing executes (a dialog listener would record any alert).
func TestBrowserUpstreamPayloadsStayText(t *testing.T) {
	o := testOIDC(t)
	mark := unique()
	now := time.Now()
	subject := `<img src=x onerror=alert('mail')> Rechnung ` + mark
	title := `<script>alert('event')</script> Termin ` + mark
	file := `<svg onload=alert('file')> Liste ` + mark + `.txt`
	seedMail(t, "bob", "Angreifer <x@evil.example>", subject, now.Add(2*time.Minute))
	cal := seedCalendar(t, "bob", title, `javascript:alert('location')`, now.Add(20*time.Minute), now.Add(50*time.Minute))
	seedFile(t, "bob", "xss-"+mark+"/"+file, []byte("x"), now.Add(2*time.Hour))

	id := uniqueID("xss")
	app := startApp(t, map[string]string{"PFORTE_CONFIG": sourcesConfig(t, id, o, cal)})
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	browserSignIn(t, tab, o, app.URL+"/settings", "bob", "bob-pw")

	// Konten verbinden, in the browser as a user would.
	for _, src := range []string{"calendar", "files"} {
		tab.Run(t,
			chromedp.Navigate(app.URL+"/settings"),
			chromedp.SetValue(`#p-`+src, stackPassword(t, "PFORTE_TEST_CALDAV_USERS", "bob"), chromedp.ByQuery),
			chromedp.Submit(`#p-`+src, chromedp.ByQuery),
			chromedp.WaitVisible(`p.notice[role="status"]`, chromedp.ByQuery), // "Gespeichert.", not the push line
		)
	}

	var text string
	var injected int
	tab.Run(t,
		chromedp.Navigate(app.URL+"/"),
		chromedp.WaitVisible(`#mail`, chromedp.ByQuery),
		chromedp.Text(`main`, &text, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('main [onerror], main [onload], main img[src="x"], main script:not([src])').length`, &injected),
	)
	for _, want := range []string{subject, title, file} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	if injected != 0 {
		t.Errorf("%d elements from upstream data became markup", injected)
	}
	if d := tab.Dialogs(); len(d) > 0 {
		t.Errorf("upstream data executed script: dialogs %+v", d)
	}
}
