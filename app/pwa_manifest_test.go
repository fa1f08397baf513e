package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

type webManifest struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	ShortName       string `json:"short_name"`
	StartURL        string `json:"start_url"`
	Scope           string `json:"scope"`
	Display         string `json:"display"`
	ThemeColor      string `json:"theme_color"`
	BackgroundColor string `json:"background_color"`
	Icons           []struct {
		Src, Sizes, Type, Purpose string
	} `json:"icons"`
	Shortcuts []struct {
		Name, URL string
	} `json:"shortcuts"`
}

// linkHref finds <link rel="REL" href="..."> in a page.
func linkHref(t *testing.T, page, rel string) string {
	t.Helper()
	m := regexp.MustCompile(`<link rel="` + regexp.QuoteMeta(rel) + `" href="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no <link rel=%q>", rel)
	}
	return m[1]
}

// fetchManifest reads the manifest the page links to, in lang.
func fetchManifest(t *testing.T, base, page, lang string) webManifest {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+linkHref(t, page, "manifest"), nil)
	req.Header.Set("Accept-Language", lang)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || ct != "application/manifest+json" {
		t.Fatalf("manifest: status %d, Content-Type %q; want 200 application/manifest+json", res.StatusCode, ct)
	}
	var m webManifest
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		t.Fatalf("manifest does not parse: %v", err)
	}
	return m
}

// fetchPNG fetches a hashed icon URL and decodes it.
func fetchPNG(t *testing.T, base, path string) image.Image {
	t.Helper()
	status, body, hdr := get(t, base, path, "")
	if status != http.StatusOK || hdr.Get("Content-Type") != "image/png" || !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s: %d %q %q; want 200 image/png, immutable", path, status, hdr.Get("Content-Type"), hdr.Get("Cache-Control"))
	}
	img, err := png.Decode(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return img
}

func opaque(c color.Color) bool { _, _, _, a := c.RGBA(); return a == 0xffff }

// The demo tenant installs as an app: its manifest has every field a
// browser needs, its icons (drawn from the tenant colour, no icon
// configured) have the sizes they claim, and the page links the manifest,
// an apple-touch-icon and a favicon.
func TestManifestAndIcons(t *testing.T) {
	app := startApp(t, map[string]string{})
	_, page, _ := get(t, app.URL, "/login", "")

	m := fetchManifest(t, app.URL, page, "de-DE")
	if m.ID != "/" || m.StartURL != "/" || m.Scope != "/" || m.Display != "standalone" {
		t.Errorf("manifest id %q, start_url %q, scope %q, display %q; want /, /, /, standalone", m.ID, m.StartURL, m.Scope, m.Display)
	}
	if m.Name != "Mitarbeiterportal Musterstadt" || m.ShortName != "Musterstadt" || m.ThemeColor != "#00508c" || m.BackgroundColor == "" {
		t.Errorf("manifest name %q, short_name %q, theme_color %q, background_color %q", m.Name, m.ShortName, m.ThemeColor, m.BackgroundColor)
	}
	want := map[string]bool{"192x192 any": false, "512x512 any": false, "512x512 maskable": false}
	for _, ic := range m.Icons {
		key := ic.Sizes + " " + ic.Purpose
		if _, ok := want[key]; !ok || ic.Type != "image/png" {
			t.Errorf("unexpected icon %+v", ic)
			continue
		}
		want[key] = true
		img := fetchPNG(t, app.URL, ic.Src)
		if got := fmt.Sprintf("%dx%d", img.Bounds().Dx(), img.Bounds().Dy()); got != ic.Sizes {
			t.Errorf("icon %s is %s, manifest says %s", ic.Src, got, ic.Sizes)
		}
		// A maskable icon is cut to any shape: its corners must be painted.
		if ic.Purpose == "maskable" && !opaque(img.At(0, 0)) {
			t.Errorf("maskable icon %s has transparent corners", ic.Src)
		}
	}
	for k, found := range want {
		if !found {
			t.Errorf("manifest lacks the %s icon", k)
		}
	}
	names := map[string]string{}
	for _, s := range m.Shortcuts {
		names[s.URL] = s.Name
	}
	if names["/settings"] != "Einstellungen" || names["/announcements"] == "" {
		t.Errorf("shortcuts %+v; want Einstellungen (/settings) and the announcements", m.Shortcuts)
	}
	if en := fetchManifest(t, app.URL, page, "en-GB"); len(en.Shortcuts) < 2 || en.Shortcuts[1].Name != "Settings" {
		t.Errorf("English manifest shortcuts %+v; want Settings", en.Shortcuts)
	}

	apple := fetchPNG(t, app.URL, linkHref(t, page, "apple-touch-icon"))
	if apple.Bounds().Dx() != 180 || apple.Bounds().Dy() != 180 || !opaque(apple.At(0, 0)) {
		t.Errorf("apple-touch-icon is %v (corner opaque: %v); want 180x180, opaque", apple.Bounds(), opaque(apple.At(0, 0)))
	}
	if fav := fetchPNG(t, app.URL, linkHref(t, page, "icon")); fav.Bounds().Dx() != 32 {
		t.Errorf("favicon is %v, want 32x32", fav.Bounds())
	}
}

// A city's own icon (theme.icon) becomes its app icons: scaled, not
// replaced by the generated one.
func TestManifestIconsFromConfiguredIcon(t *testing.T) {
	dir := t.TempDir()
	src := image.NewRGBA(image.Rect(0, 0, 600, 600))
	red, green := color.RGBA{0xd0, 0x10, 0x10, 0xff}, color.RGBA{0x10, 0xa0, 0x10, 0xff}
	for y := range 600 {
		for x := range 600 {
			c := red
			if x >= 300 {
				c = green
			}
			src.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "icon.png", buf.String())
	cfg := writeFile(t, dir, "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {data_dir: "`+dir+`/data"}
tenants:
  - id: iconcity
    hosts: [127.0.0.1]
    name: Portal Iconstadt
    short_name: Iconstadt
    theme: {primary_color: "#114477", icon: icon.png}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	_, page, _ := get(t, app.URL, "/offline", "")
	m := fetchManifest(t, app.URL, page, "de")
	for _, ic := range m.Icons {
		img := fetchPNG(t, app.URL, ic.Src)
		n := img.Bounds().Dx()
		left, right := img.At(n*3/10, n/2), img.At(n*7/10, n/2)
		if !near(left, red) || !near(right, green) {
			t.Errorf("%s icon %s: left %v, right %v; want the configured icon's red and green", ic.Purpose, ic.Src, left, right)
		}
	}
}

func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) bool { v := int(a>>8) - int(b); return v > -12 && v < 12 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

var swConfig = regexp.MustCompile(`(?m)^const CONFIG = (\{.*\});$`)

// /sw.js is served from the root (scope /) and never cached unchecked; the
// app shell it precaches is exactly what pages load, and every URL of it
// answers (one 404 would stop the worker from installing).
func TestServiceWorkerScriptAndShell(t *testing.T) {
	app := startApp(t, map[string]string{})
	status, body, hdr := get(t, app.URL, "/sw.js", "")
	if status != http.StatusOK || hdr.Get("Cache-Control") != "no-cache" || !strings.Contains(hdr.Get("Content-Type"), "javascript") {
		t.Fatalf("GET /sw.js: %d, Cache-Control %q, Content-Type %q; want 200, no-cache, JavaScript", status, hdr.Get("Cache-Control"), hdr.Get("Content-Type"))
	}
	m := swConfig.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("/sw.js carries no shell list")
	}
	var cfg struct {
		Version string   `json:"version"`
		Shell   []string `json:"shell"`
	}
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil || cfg.Version == "" {
		t.Fatalf("shell list %s: %v", m[1], err)
	}
	_, page, _ := get(t, app.URL, "/offline", "")
	// apple-touch-icon is left out: it is fetched when adding to the home screen, online.
	page = regexp.MustCompile(`<link rel="apple-touch-icon"[^>]*>`).ReplaceAllString(page, "")
	for _, u := range regexp.MustCompile(`(?:href|src)="(/(?:static|theme|brand)/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !contains(cfg.Shell, u[1]) {
			t.Errorf("the page loads %s but the service worker does not keep it: offline it would be missing", u[1])
		}
	}
	for _, u := range cfg.Shell {
		if status, _, _ := get(t, app.URL, u, ""); status != http.StatusOK {
			t.Errorf("shell URL %s answers %d, want 200", u, status)
		}
	}
	for lang, want := range map[string]string{"de": "Keine Verbindung", "en": "No connection"} {
		req, _ := http.NewRequest(http.MethodGet, app.URL+"/offline", nil)
		req.Header.Set("Accept-Language", lang)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		res.Body.Close()
		if h1 := regexp.MustCompile(`<h1>([^<]*)</h1>`).FindStringSubmatch(b.String()); h1 == nil || h1[1] != want {
			t.Errorf("/offline in %s: heading %v, want %q", lang, h1, want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// POST /logout asks the browser to drop its HTTP cache and still redirects;
// signed-in responses name their (opaque) user for the service worker, and
// the name is not the user id.
func TestLogoutClearsSiteCache(t *testing.T) {
	app := startApp(t, map[string]string{})
	b := browser(t)
	_, page := do(t, b, http.MethodGet, app.URL+"/login", nil, nil)
	res, page := do(t, b, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"employee"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	key := res.Header.Get("X-Pforte-User")
	if key == "" || strings.Contains(key, "erika") || strings.Contains(key, "demo") {
		t.Errorf("dashboard X-Pforte-User = %q; want an opaque key", key)
	}
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, _ = do(t, b, http.MethodPost, app.URL+"/logout", url.Values{"_csrf": {csrfOf(t, page)}}, http.Header{"Origin": {app.URL}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" || res.Header.Get("Clear-Site-Data") != `"cache"` {
		t.Errorf("POST /logout: %d to %q with Clear-Site-Data %q; want 303 to /login with \"cache\"", res.StatusCode, res.Header.Get("Location"), res.Header.Get("Clear-Site-Data"))
	}
	if res.Header.Get("X-Pforte-User") != "" {
		t.Errorf("the logout response still names a user")
	}
}
