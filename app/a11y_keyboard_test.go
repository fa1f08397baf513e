package main

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// With the keyboard alone: the first Tab shows the skip link, Enter on it
// moves focus to the main content, and the next Tab lands on a control
// inside it with a visible focus ring.
func TestKeyboardSkipLinkAndFocus(t *testing.T) {
	app := startApp(t, map[string]string{})
	tab := axeTab(t, app.URL, "de")
	demoBrowserSignIn(t, tab, app.URL, "employee")

	var first struct {
		Class   string  `json:"class"`
		Text    string  `json:"text"`
		Left    float64 `json:"left"`
		Outline string  `json:"outline"`
	}
	focused := `(() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
		return {class: e.className, text: e.textContent.trim(), left: r.left, outline: s.outlineStyle + " " + s.outlineWidth}; })()`
	tab.Run(t,
		chromedp.Navigate(app.URL+"/"),
		chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(focused, &first),
	)
	if first.Class != "skip-link" || first.Text != "Zum Inhalt springen" || first.Left < 0 {
		t.Fatalf("first Tab focuses %+v, want the visible skip link", first)
	}
	if first.Outline == "none 0px" {
		t.Errorf("the focused skip link has no focus ring (%s)", first.Outline)
	}

	var inMain bool
	var next struct {
		Class   string `json:"class"`
		Text    string `json:"text"`
		Outline string `json:"outline"`
	}
	tab.Run(t,
		chromedp.KeyEvent(kb.Enter),
		chromedp.Poll(`document.activeElement && document.activeElement.id === "main"`, nil),
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.querySelector("main").contains(document.activeElement)`, &inMain),
		chromedp.Evaluate(focused, &next),
	)
	if !inMain {
		t.Errorf("after the skip link, Tab focuses %+v outside the main content", next)
	}
	if next.Outline == "none 0px" || next.Outline == "" {
		t.Errorf("the focused control %q shows no focus ring (%s)", next.Text, next.Outline)
	}
}
