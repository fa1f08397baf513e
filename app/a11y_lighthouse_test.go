package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// lighthouseReport is the part of Lighthouse's JSON report the test reads.
type lighthouseReport struct {
	LighthouseVersion string `json:"lighthouseVersion"`
	Categories        map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID string `json:"id"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Title        string   `json:"title"`
		Score        *float64 `json:"score"`
		NumericValue float64  `json:"numericValue"`
		DisplayValue string   `json:"displayValue"`
	} `json:"audits"`
}

// Lighthouse (npm, mobile preset) on the signed-in demo dashboard scores
// 100 for accessibility and 100 for best practices. Its performance score
// is a timing, so it is logged here, recorded in docs/accessibility.md and
// checked against its goal (>= 95) by scripts/lighthouse.sh, not asserted.
func TestLighthouseDashboard(t *testing.T) {
	modules := testenv.Server(t, "PFORTE_TEST_NODE_MODULES")
	chrome := testenv.Server(t, "PFORTE_TEST_CHROMIUM")
	node := testenv.Binary(t, "node")
	cli := filepath.Join(modules, "lighthouse", "cli", "index.js")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("lighthouse is not installed (scripts/node/package.json; scripts/stack.sh install): %v", err)
	}

	app := startApp(t, map[string]string{})
	b := browser(t)
	_, page := do(t, b, http.MethodGet, app.URL+"/login", nil, nil)
	do(t, b, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"employee"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	appURL, _ := url.Parse(app.URL)
	var cookie string
	for _, c := range b.Jar.Cookies(appURL) {
		if c.Name == "pforte" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		t.Fatal("demo sign-in set no session cookie")
	}
	headers, _ := json.Marshal(map[string]string{"Cookie": cookie})

	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	// Lighthouse sometimes fails to record its own trace on a busy machine
	// ("Runtime error encountered ... Please run Lighthouse again", e.g.
	// NO_NAVSTART, NO_FCP). That is the tool, not the page: run it again, up
	// to three times, each with a fresh profile. Any other failure fails.
	for attempt := 1; ; attempt++ {
		cmd := exec.CommandContext(ctx, node, cli, app.URL+"/", "--quiet",
			"--only-categories=performance,accessibility,best-practices",
			"--output=json", "--output-path="+out, "--extra-headers="+string(headers),
			"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "+
				"--disable-background-networking --disable-component-update --disable-sync --user-data-dir="+
				filepath.Join(dir, "profile"+strconv.Itoa(attempt)))
		cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
		msg, err := cmd.CombinedOutput()
		if err == nil {
			break
		}
		if attempt < 3 && strings.Contains(string(msg), "Runtime error encountered") {
			t.Logf("lighthouse attempt %d: %v\n%s", attempt, err, msg)
			continue
		}
		t.Fatalf("lighthouse: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r lighthouseReport
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("lighthouse report: %v", err)
	}

	score := func(cat string) int {
		c, ok := r.Categories[cat]
		if !ok || c.Score == nil {
			t.Fatalf("the report has no %s score", cat)
		}
		return int(*c.Score*100 + 0.5)
	}
	t.Logf("Lighthouse %s, mobile: performance %d, accessibility %d, best practices %d; page weight %.1f KB; LCP %s, TBT %s, CLS %s",
		r.LighthouseVersion, score("performance"), score("accessibility"), score("best-practices"),
		r.Audits["total-byte-weight"].NumericValue/1024, r.Audits["largest-contentful-paint"].DisplayValue,
		r.Audits["total-blocking-time"].DisplayValue, r.Audits["cumulative-layout-shift"].DisplayValue)
	for _, cat := range []string{"accessibility", "best-practices"} {
		if s := score(cat); s != 100 {
			var failed []string
			for _, ref := range r.Categories[cat].AuditRefs {
				if a := r.Audits[ref.ID]; a.Score != nil && *a.Score < 1 {
					failed = append(failed, ref.ID+": "+a.Title)
				}
			}
			t.Errorf("%s score %d, want 100; failing audits:\n  %s", cat, s, strings.Join(failed, "\n  "))
		}
	}
}
