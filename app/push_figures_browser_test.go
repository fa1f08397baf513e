package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// The admin watches a fan-out on the announcement's page: the figures and
// the progress bar move on their own, without reloading, until every
// device counts as delivered (a few first met a 429 and were retried).
func TestBrowserPushFiguresUpdateLive(t *testing.T) {
	c := newOutboxCity(t, 5, 10)
	for _, s := range c.subs[:10] {
		c.srv.Answer(s, 429, 1, "1")
	}
	in := c.start(t)
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	browserSignIn(t, tab, testOIDC(t), in.URL+"/", "bob", "bob-pw")
	a := c.publish(t)
	var first string
	tab.Run(t, chromedp.Navigate(in.URL+"/admin/announcements/"+a.ID),
		chromedp.Text(`[data-fig="delivered"]`, &first, chromedp.ByQuery))
	if first == "50" {
		t.Fatal("all 50 delivered before the page loaded: the retried devices were not retried")
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var delivered, retrying, progress string
		tab.Run(t, chromedp.Text(`[data-fig="delivered"]`, &delivered, chromedp.ByQuery),
			chromedp.Text(`[data-fig="retrying"]`, &retrying, chromedp.ByQuery),
			chromedp.Evaluate(`String(document.querySelector('[data-fig-progress]').value)`, &progress))
		if delivered == "50" && retrying == "0" && progress == "50" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("page shows delivered %s, retrying %s, progress %s (loaded with %s); want 50, 0, 50 without a reload", delivered, retrying, progress, first)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
