package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

var (
	cssLink   = regexp.MustCompile(`href="(/static/([0-9A-Za-z_-]+)/css/app\.css)"`)
	themeLink = regexp.MustCompile(`href="(/theme/[0-9A-Za-z_-]+\.css)"`)
)

// Static files live under a content hash: immutable for a year with an
// ETag; a stale hash is a 404, never new content under an old URL.
func TestStaticFilesAreHashedAndImmutable(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	page := readBody(t, c.get("/login"))
	m := cssLink.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page links no hashed app.css:\n%s", page)
	}
	res := c.get(m[1])
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || len(body) < 100 {
		t.Fatalf("%s: %d %q (%d bytes)", m[1], res.StatusCode, res.Header.Get("Content-Type"), len(body))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", cc)
	}
	etag := res.Header.Get("ETag")
	if etag != `"`+m[2]+`"` {
		t.Errorf("ETag %q, want the hash %q", etag, m[2])
	}
	res = c.do(req{path: m[1], header: map[string]string{"If-None-Match": etag}})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", res.StatusCode)
	}
	res = c.do(req{path: m[1], header: map[string]string{"Accept-Encoding": "gzip"}})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("app.css with Accept-Encoding gzip: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	if res := c.get(strings.Replace(m[1], m[2], "0000000000", 1)); res.StatusCode != http.StatusNotFound {
		t.Errorf("stale hash: %d, want 404", res.StatusCode)
	}
}

// Each tenant gets its own theme (its colour) under its own hash.
func TestThemeIsPerTenant(t *testing.T) {
	ts := newTestServer(t, func(cfg *config.Config) { cfg.Tenants[1].Theme.PrimaryColor = "#8a1538" })
	themes := map[string]string{}
	for _, host := range []string{hostA, hostB} {
		c := ts.client(host)
		m := themeLink.FindStringSubmatch(readBody(t, c.get("/login")))
		if m == nil {
			t.Fatalf("%s: the page links no theme", host)
		}
		res := c.get(m[1])
		css := readBody(t, res)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Fatalf("%s %s: %d %q", host, m[1], res.StatusCode, res.Header.Get("Cache-Control"))
		}
		themes[host] = m[1]
		if host == hostB && !strings.Contains(strings.ToLower(css), "#8a1538") {
			t.Errorf("tenant other's theme lacks its colour:\n%s", css)
		}
		if res := c.get("/theme/nothash.css"); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: wrong theme hash: %d, want 404", host, res.StatusCode)
		}
	}
	if themes[hostA] == themes[hostB] {
		t.Error("two tenants with different colours share one theme URL")
	}
	if res := ts.client(hostB).get(themes[hostA]); res.StatusCode != http.StatusNotFound {
		t.Errorf("tenant demo's theme on tenant other's host: %d, want 404", res.StatusCode)
	}
}

// The manifest and the service worker: per tenant, at the root scope,
// revalidated on every start of the app.
func TestManifestAndServiceWorker(t *testing.T) {
	ts := newTestServer(t)
	for host, name := range map[string]string{hostA: "Mitarbeiterportal Musterstadt", hostB: "Portal Andere Stadt"} {
		c := ts.client(host)
		res := c.get("/manifest.webmanifest")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/manifest+json" {
			t.Fatalf("%s manifest: %d %q", host, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var m struct {
			Name     string `json:"name"`
			Scope    string `json:"scope"`
			StartURL string `json:"start_url"`
			Icons    []struct {
				Src string `json:"src"`
			} `json:"icons"`
		}
		if err := json.Unmarshal([]byte(readBody(t, res)), &m); err != nil {
			t.Fatal(err)
		}
		if m.Name != name || m.Scope != "/" || m.StartURL != "/" || len(m.Icons) != 3 {
			t.Errorf("%s manifest: %+v", host, m)
		}
		icon := c.get(m.Icons[0].Src)
		if icon.StatusCode != http.StatusOK || icon.Header.Get("Content-Type") != "image/png" {
			t.Errorf("%s icon %s: %d %q", host, m.Icons[0].Src, icon.StatusCode, icon.Header.Get("Content-Type"))
		}
		sw := c.get("/sw.js")
		js := readBody(t, sw)
		if sw.StatusCode != http.StatusOK || sw.Header.Get("Cache-Control") != "no-cache" ||
			!strings.HasPrefix(sw.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(js, "addEventListener") {
			t.Errorf("%s sw.js: %d %q %q", host, sw.StatusCode, sw.Header.Get("Cache-Control"), sw.Header.Get("Content-Type"))
		}
		if res := c.do(req{path: "/sw.js", header: map[string]string{"If-None-Match": sw.Header.Get("ETag")}}); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s sw.js revalidation: %d, want 304", host, res.StatusCode)
		}
	}
	if res := ts.client(hostA).get("/offline"); res.StatusCode != http.StatusOK {
		t.Errorf("offline page: %d", res.StatusCode)
	}
}
