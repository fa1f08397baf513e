package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// city is one tenant of a multi-tenant test instance.
type city struct {
	ID, Name, Color string
	Base            string // http://HOST:PORT this tenant answers on
	Token           string // its API token (the config holds the sha256)
}

// twoCities starts ONE Pforte serving two tenants on the same port: A on
// 127.0.0.1, B on localhost, each with its own OIDC client, name, colour,
// logo and API token, both storing in the shared test Redis.
func twoCities(t *testing.T) (app *testApp, a, b city, redisURL string) {
	t.Helper()
	o := testOIDC(t)
	clientB := testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_B_ID")
	secretB := testenv.Server(t, "PFORTE_TEST_OIDC_CLIENT_B_SECRET")
	redisURL = testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	a = city{ID: uniqueID("nord"), Color: "#005a9c", Token: uniqueID("token-nord")}
	b = city{ID: uniqueID("sued"), Color: "#b5121b", Token: uniqueID("token-sued")}
	a.Name, b.Name = "Stadtportal Nordstadt "+a.ID, "Stadtportal Südstadt "+b.ID
	dir := t.TempDir()
	writeFile(t, dir, "nord.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#005a9c"/></svg>`)
	writeFile(t, dir, "sued.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#b5121b"/></svg>`)
	tenant := func(c city, host, logo, clientID, secret string) string {
		return `
  - id: ` + c.ID + `
    hosts: [` + host + `]
    name: ` + c.Name + `
    theme: {primary_color: "` + c.Color + `", logo: ` + logo + `}
    oidc: {issuer: "` + o.Issuer + `", client_id: ` + clientID + `, client_secret: "` + secret + `", admin_groups: [it-admins], scopes: [groups, offline_access]}
    api_tokens: [{name: monitoring, sha256: ` + sha256Hex(c.Token) + `}]`
	}
	cfg := writeFile(t, dir, "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+redisURL+`"}
tenants:`+tenant(a, "127.0.0.1", "nord.svg", o.ClientID, o.Secret)+tenant(b, "localhost", "sued.svg", clientB, secretB)+"\n")
	app = startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	a.Base = app.URL
	b.Base = strings.Replace(app.URL, "127.0.0.1", "localhost", 1)
	return app, a, b, redisURL
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var (
	themeLink = regexp.MustCompile(`href="(/theme/[0-9a-f]+\.css)"`)
	logoImg   = regexp.MustCompile(`src="(/brand/logo/[0-9a-f]+)"`)
)

func TestTwoTenantsOnOneInstanceAreIsolated(t *testing.T) {
	_, a, b, redisURL := twoCities(t)
	// alice works for both cities: one browser each, as two devices would.
	ba, bb := browser(t), browser(t)
	_, pageA := signIn(t, ba, a.Base, "/", "alice", "alice-pw")
	_, pageB := signIn(t, bb, b.Base, "/", "alice", "alice-pw")
	if !strings.Contains(pageA, "<main") || !strings.Contains(pageB, "<main") {
		t.Fatalf("sign-in did not reach the portal:\nA: %.300s\nB: %.300s", pageA, pageB)
	}
	sidA := cookieValue(t, ba, a.Base, "pforte")
	sidB := cookieValue(t, bb, b.Base, "pforte")

	t.Run("each shows its own name, colour and logo", func(t *testing.T) {
		for _, c := range []struct {
			own, other city
			page       string
		}{{a, b, pageA}, {b, a, pageB}} {
			if !strings.Contains(c.page, c.own.Name) || strings.Contains(c.page, c.other.Name) {
				t.Errorf("%s: page must name %q and never %q", c.own.Base, c.own.Name, c.other.Name)
			}
			theme := themeLink.FindStringSubmatch(c.page)
			logo := logoImg.FindStringSubmatch(c.page)
			if theme == nil || logo == nil {
				t.Fatalf("%s: page links no theme CSS or logo", c.own.Base)
			}
			status, css, _ := get(t, c.own.Base, theme[1], "")
			if status != http.StatusOK || !strings.Contains(css, "--brand:"+c.own.Color) {
				t.Errorf("%s%s = %d %q, want the colour %s", c.own.Base, theme[1], status, css, c.own.Color)
			}
			status, svg, _ := get(t, c.own.Base, logo[1], "")
			if status != http.StatusOK || !strings.Contains(svg, c.own.Color) {
				t.Errorf("%s%s = %d, want the tenant's own logo", c.own.Base, logo[1], status)
			}
			// One tenant's brand URLs find nothing on the other's host.
			for _, p := range []string{theme[1], logo[1]} {
				if status, _, _ := get(t, c.other.Base, p, ""); status != http.StatusNotFound {
					t.Errorf("%s%s (the other tenant's asset) = %d, want 404", c.other.Base, p, status)
				}
			}
		}
	})

	t.Run("each installs as its own app", func(t *testing.T) {
		type manifest struct {
			Name       string
			ThemeColor string `json:"theme_color"`
			Icons      []struct{ Src string }
		}
		var ma, mb manifest
		for _, m := range []struct {
			c   city
			dst *manifest
		}{{a, &ma}, {b, &mb}} {
			status, body, hdr := get(t, m.c.Base, "/manifest.webmanifest", "")
			if status != http.StatusOK || json.Unmarshal([]byte(body), m.dst) != nil {
				t.Fatalf("%s/manifest.webmanifest = %d %q", m.c.Base, status, hdr.Get("Content-Type"))
			}
			if m.dst.Name != m.c.Name || m.dst.ThemeColor != m.c.Color || len(m.dst.Icons) == 0 {
				t.Errorf("%s manifest: name %q colour %q, %d icons; want %q %s", m.c.Base, m.dst.Name, m.dst.ThemeColor, len(m.dst.Icons), m.c.Name, m.c.Color)
			}
		}
		if len(ma.Icons) > 0 && len(mb.Icons) > 0 {
			if ma.Icons[0].Src == mb.Icons[0].Src {
				t.Errorf("both tenants use the icon %s: each city's app icon must be its own", ma.Icons[0].Src)
			}
			if status, _, _ := get(t, b.Base, ma.Icons[0].Src, ""); status != http.StatusNotFound {
				t.Errorf("A's icon %s on B = %d, want 404", ma.Icons[0].Src, status)
			}
		}
	})

	t.Run("a session cookie of one is refused by the other", func(t *testing.T) {
		// Host-only cookies: the browser never even sends A's cookie to B.
		for _, ck := range bb.Jar.Cookies(mustURL(t, a.Base)) {
			if strings.Contains(ck.Name, "pforte") {
				t.Errorf("B's browser holds A's cookie %s", ck.Name)
			}
		}
		// Replayed by hand, B treats its bearer as signed out.
		plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		hdr := http.Header{"Cookie": {"pforte=" + sidA}}
		if res, _ := do(t, plain, http.MethodGet, a.Base+"/api/dashboard", nil, hdr); res.StatusCode != http.StatusOK {
			t.Fatalf("control: A's cookie on A = %d, want 200", res.StatusCode)
		}
		res, body := do(t, plain, http.MethodGet, b.Base+"/api/dashboard", nil, hdr)
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("A's session cookie on B's API = %d %s, want 401", res.StatusCode, body)
		}
		res, _ = do(t, plain, http.MethodGet, b.Base+"/", nil, hdr)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("A's session cookie on B's home = %d to %q, want a redirect to /login", res.StatusCode, loc)
		}
		// B never adopts the foreign id as a session of its own.
		if got := redisKeys(t, redisURL, "t:"+b.ID+":sess:"+sidA); len(got) != 0 {
			t.Errorf("B stored a session under A's id: %v", got)
		}
	})

	t.Run("a CSRF token of one is refused by the other", func(t *testing.T) {
		csrfA := csrfOf(t, pageA)
		for _, c := range []struct {
			name string
			hdr  http.Header
		}{
			{"with B's own session", nil},
			{"with A's session cookie replayed", http.Header{"Cookie": {"pforte=" + sidA}}},
		} {
			client := bb
			if c.hdr != nil {
				client = &http.Client{}
			}
			h := http.Header{"Origin": {b.Base}}
			for k, v := range c.hdr {
				h[k] = v
			}
			res, _ := do(t, client, http.MethodPost, b.Base+"/logout", url.Values{"_csrf": {csrfA}}, h)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: POST B/logout with A's CSRF token = %d, want 403", c.name, res.StatusCode)
			}
		}
		if res, _ := do(t, bb, http.MethodGet, b.Base+"/api/dashboard", nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("after the refused logouts B's user is signed out (%d): A's token took effect", res.StatusCode)
		}
	})

	t.Run("an API token of one is refused by the other", func(t *testing.T) {
		for _, c := range []struct {
			method, path string
			body         string
		}{
			{http.MethodGet, "/api/announcements", ""},
			{http.MethodPost, "/api/announcements", `{"title":"Fremd","body":"von A","severity":"info"}`},
		} {
			res, body := apiCall(t, c.method, b.Base+c.path, a.Token, c.body)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s on B with A's token = %d %s, want 401", c.method, c.path, res.StatusCode, body)
			}
		}
		if res, _ := apiCall(t, http.MethodGet, a.Base+"/api/announcements", a.Token, ""); res.StatusCode != http.StatusOK {
			t.Errorf("control: A's token on A = %d, want 200", res.StatusCode)
		}
		if list := announcementsVia(t, b.Base, b.Token); strings.Contains(list, "von A") {
			t.Errorf("B holds the announcement A's token tried to post: %s", list)
		}
	})

	t.Run("an announcement of one is never visible or streamed in the other", func(t *testing.T) {
		streamA := openStream(t, ba, a.Base)
		streamB := openStream(t, bb, b.Base)
		titleA := "Störung Nordstadt " + a.ID
		idA := publish(t, a, titleA)
		if ev := streamA.next(t, 10*time.Second); !strings.Contains(ev, titleA) {
			t.Fatalf("control: A's own stream got %q, want A's announcement", ev)
		}
		// B's stream receives B's next announcement, and nothing of A before it.
		titleB := "Wartung Südstadt " + b.ID
		publish(t, b, titleB)
		if ev := streamB.next(t, 10*time.Second); !strings.Contains(ev, titleB) || strings.Contains(ev, idA) {
			t.Errorf("B's stream got %q first, want B's own announcement and never A's", ev)
		}
		if res, body := apiCall(t, http.MethodGet, b.Base+"/api/announcements/"+idA, b.Token, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("A's announcement by id on B = %d %s, want 404", res.StatusCode, body)
		}
		for name, got := range map[string]string{
			"B's API (token)":   announcementsVia(t, b.Base, b.Token),
			"B's API (session)": bodyOf(t, bb, b.Base+"/api/announcements"),
			"B's archive page":  bodyOf(t, bb, b.Base+"/announcements"),
			"B's dashboard":     bodyOf(t, bb, b.Base+"/"),
		} {
			if strings.Contains(got, titleA) || strings.Contains(got, idA) {
				t.Errorf("%s shows A's announcement", name)
			}
		}
		if got := bodyOf(t, ba, a.Base+"/announcements"); !strings.Contains(got, titleA) {
			t.Errorf("control: A's archive page lacks A's announcement")
		}
		// Every stored trace of A's announcement lives under A's prefix.
		for _, k := range redisKeys(t, redisURL, "*"+idA+"*") {
			if !strings.HasPrefix(k, "t:"+a.ID+":") {
				t.Errorf("key %q names A's announcement outside A's prefix", k)
			}
		}
	})

	t.Run("stored keys live under each tenant's prefix", func(t *testing.T) {
		for _, c := range []struct {
			c   city
			sid string
		}{{a, sidA}, {b, sidB}} {
			if got := redisKeys(t, redisURL, "t:"+c.c.ID+":sess:"+c.sid); len(got) != 1 {
				t.Errorf("%s's session is not stored at t:%s:sess:<id> (%v)", c.c.Base, c.c.ID, got)
			}
			for _, k := range append(redisKeys(t, redisURL, "*"+c.c.ID+"*"), redisKeys(t, redisURL, "*"+c.sid+"*")...) {
				if !strings.HasPrefix(k, "t:"+c.c.ID+":") {
					t.Errorf("key %q belongs to %s but lies outside t:%s:", k, c.c.ID, c.c.ID)
				}
			}
		}
	})
}

// The branding files a config names are checked by content: check-config
// names each bad one with its config path, and serve refuses to start.
func TestBadBrandAssetsAreReportedWithTheirPath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "logo.svg", "GIF89a\x01\x00\x01\x00 this is a GIF")
	writeFile(t, dir, "evil.svg", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>`)
	writeFile(t, dir, "icon.png", string(squarePNG(t, 200, 200)))
	writeFile(t, dir, "ok-icon.png", string(squarePNG(t, 512, 512)))
	cfg := writeFile(t, dir, "pforte.yaml", `
secret_key: `+testSecret+`
tenants:
  - id: nord
    hosts: [portal.nord.example]
    name: Stadtportal Nord
    theme: {primary_color: "#005a9c", logo: logo.svg, icon: icon.png}
  - id: sued
    hosts: [portal.sued.example]
    name: Stadtportal Süd
    theme: {primary_color: "#b5121b", logo: evil.svg, icon: ok-icon.png}
  - id: west
    hosts: [portal.west.example]
    name: Stadtportal West
    theme: {primary_color: "#006400", logo: missing.svg}
`)
	var out bytes.Buffer
	err := run(context.Background(), []string{"check-config", cfg}, func(string) string { return "" }, &out, &out)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("check-config accepted bad brand files (err %v):\n%s", err, out.String())
	}
	for _, want := range []string{
		"4 problem(s)",
		`tenants[0].theme.logo: "logo.svg" is not a PNG or SVG image`,
		`tenants[0].theme.icon: "icon.png" is 200x200 pixels: the app icon must be square and at least 512x512`,
		`tenants[1].theme.logo: "evil.svg" has an event handler (onload on <svg>)`,
		`tenants[2].theme.logo: "missing.svg" not found`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check-config output lacks %q:\n%s", want, out.String())
		}
	}

	// Fix the files the config check cannot see into; serve still refuses
	// the rest with the tenant and file named.
	writeFile(t, dir, "missing.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
	writeFile(t, dir, "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
	writeFile(t, dir, "icon.png", string(squarePNG(t, 512, 512)))
	var logs bytes.Buffer
	err = run(context.Background(), []string{"--config", cfg, "serve"}, func(k string) string {
		return map[string]string{"PORT": "0"}[k]
	}, &logs, &logs)
	if err == nil || !strings.Contains(err.Error(), "sued") || !strings.Contains(err.Error(), `theme.logo "evil.svg"`) {
		t.Errorf("serve with an SVG logo carrying script: err = %v, want a refusal naming tenant sued and evil.svg", err)
	}
}

func squarePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < min(w, h); i++ {
		img.Set(i, i, color.RGBA{0xb5, 0x12, 0x1b, 0xff})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func cookieValue(t *testing.T, b *http.Client, base, name string) string {
	t.Helper()
	for _, c := range b.Jar.Cookies(mustURL(t, base)) {
		if c.Name == name {
			return c.Value
		}
	}
	t.Fatalf("no cookie %s for %s", name, base)
	return ""
}

func bodyOf(t *testing.T, b *http.Client, target string) string {
	t.Helper()
	res, body := do(t, b, http.MethodGet, target, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", target, res.StatusCode)
	}
	return body
}

// apiCall sends a JSON request with a bearer token, as monitoring tools do.
func apiCall(t *testing.T, method, target, token, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

func announcementsVia(t *testing.T, base, token string) string {
	t.Helper()
	res, body := apiCall(t, http.MethodGet, base+"/api/announcements", token, "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/api/announcements = %d %s", base, res.StatusCode, body)
	}
	return body
}

// publish posts an announcement for the whole tenant with its API token and
// returns its id.
func publish(t *testing.T, c city, title string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"title": title, "body": "Bitte **beachten**.", "severity": "warning"})
	res, raw := apiCall(t, http.MethodPost, c.Base+"/api/announcements", c.Token, string(body))
	var created struct{ ID string }
	if res.StatusCode != http.StatusCreated || json.Unmarshal([]byte(raw), &created) != nil || created.ID == "" {
		t.Fatalf("POST %s/api/announcements = %d %s", c.Base, res.StatusCode, raw)
	}
	return created.ID
}

// eventStream is an open Server-Sent Events connection, read line by line.
type eventStream struct {
	events chan string // "event: ...\ndata: ..." blocks; comments and retry left out
}

// openStream opens the announcement stream with the browser's session and
// returns once the server has said hello (it listens from then on).
func openStream(t *testing.T, b *http.Client, base string) *eventStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/announcements/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open stream on %s: %v", base, err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		res.Body.Close()
		cancel()
		t.Fatalf("GET %s/api/announcements/stream = %d %s", base, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &eventStream{events: make(chan string, 16)}
	hello := make(chan struct{})
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		var block strings.Builder
		greeted := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, ":"):
				if !greeted {
					greeted = true
					close(hello)
				}
			case line == "":
				if strings.Contains(block.String(), "data:") {
					s.events <- block.String()
				}
				block.Reset()
			default:
				block.WriteString(line + "\n")
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		res.Body.Close()
	})
	select {
	case <-hello:
	case <-time.After(10 * time.Second):
		t.Fatalf("the stream on %s sent no hello", base)
	}
	return s
}

// next returns the next event block (reconnect-free: streams live 25 s).
func (s *eventStream) next(t *testing.T, within time.Duration) string {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatalf("the stream ended")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no event within %v", within)
		return ""
	}
}

// redisKeys lists the keys matching pattern in the test Redis.
func redisKeys(t *testing.T, redisURL, pattern string) []string {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	var keys []string
	iter := rc.Scan(t.Context(), 0, pattern, 1000).Iterator()
	for iter.Next(t.Context()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}
