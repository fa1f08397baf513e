package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// axeRun runs the rule sets of WCAG 2.1 A and AA, which BITV 2.0 requires.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
  .then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))}))}))`

// axeViolation is one failed axe-core rule with the elements that fail it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v axeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s\n      %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n      "))
}

// axeSource is axe-core's browser bundle from the npm tools the stack
// installs (scripts/node, pinned in package.json).
func axeSource(t *testing.T) string {
	t.Helper()
	dir := testenv.Server(t, "PFORTE_TEST_NODE_MODULES")
	src, err := os.ReadFile(filepath.Join(dir, "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (scripts/stack.sh install): %v", err)
	}
	return string(src)
}

// axeCheck runs axe-core on the page the tab shows, injecting it first
// unless the page has it already. The script goes in through DevTools
// (Runtime.evaluate), which the page's CSP does not govern: the page itself
// still allows no inline script.
func axeCheck(t *testing.T, tab *testenv.Tab, axe string) []axeViolation {
	t.Helper()
	var loaded bool
	var res struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	tab.Run(t,
		chromedp.Evaluate(`typeof axe === "object"`, &loaded),
	)
	if !loaded {
		tab.Run(t, chromedp.Evaluate(axe, nil))
	}
	tab.Run(t,
		chromedp.Evaluate(axeRun, &res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
	)
	if res.Passes == 0 && len(res.Violations) == 0 {
		t.Fatalf("axe-core checked nothing on %s", tab.Location(t))
	}
	return res.Violations
}

// consoleErrorsBut returns the tab's console errors except the failed load
// of the pages listed (an error page's own 4xx status is meant).
func consoleErrorsBut(tab *testenv.Tab, pages ...string) []string {
	var out []string
	for _, e := range tab.ConsoleErrors() {
		expected := false
		for _, p := range pages {
			expected = expected || strings.HasSuffix(e, "("+p+")") && strings.Contains(e, "status of 4")
		}
		if !expected {
			out = append(out, e)
		}
	}
	return out
}

// colorScheme makes the tab prefer a light or dark colour scheme, as the
// operating system setting would.
func colorScheme(scheme string) chromedp.Action {
	return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}})
}

// demoBrowserSignIn signs in on the demo (no config file) as a user would:
// the sign-in page's button for user ("employee" or "admin").
func demoBrowserSignIn(t *testing.T, tab *testenv.Tab, base, user string) {
	t.Helper()
	tab.Run(t,
		chromedp.Navigate(base+"/login"),
		chromedp.Click(`button[name="user"][value="`+user+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
	)
}
