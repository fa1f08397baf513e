package navigation

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// SamplePNG is a small valid PNG.
func samplePNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// newPortal is the stand-in with two categories; "verwaltung" shows only
// to alice, so a menu without her (wrong secret) lacks it.
func newPortal(t *testing.T) *testenv.Portal {
	t.Helper()
	p := testenv.NewPortal(t, "s3cret")
	p.Categories = []testenv.PortalCategory{
		{ID: "work", Names: map[string]string{"de_DE": "Arbeiten", "en_US": "Work"}},
		{ID: "admin", Names: map[string]string{"de_DE": "Verwaltung", "en_US": "Administration"}},
		{ID: "empty", Names: map[string]string{"en_US": "Empty"}},
	}
	p.Entries = []testenv.PortalEntry{
		{ID: "mail", Category: "work", Names: map[string]string{"de_DE": "E-Mail", "en_US": "Mail"}, Link: "https://mail.example/", Icon: "mail.png"},
		{ID: "files", Category: "work", Names: map[string]string{"en_US": "Files"}, Link: "/files/", Icon: "files.svg", Target: "samewindow"},
		{ID: "evil", Category: "work", Names: map[string]string{"en_US": "Evil"}, Link: "javascript:alert(1)"},
		{ID: "big", Category: "work", Names: map[string]string{"en_US": "Big"}, Link: "https://big.example/", Icon: "big.png"},
		{ID: "gif", Category: "work", Names: map[string]string{"en_US": "Gif"}, Link: "https://gif.example/", Icon: "x.gif"},
		{ID: "users", Category: "admin", Names: map[string]string{"de_DE": "Benutzer", "en_US": "Users"}, Link: "https://umc.example/", Users: []string{"alice"}},
	}
	p.Icons["mail.png"] = testenv.PortalIcon{Type: "image/png", Data: samplePNG(t)}
	p.Icons["files.svg"] = testenv.PortalIcon{Type: "image/svg+xml", Data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="4" height="4"/></svg>`)}
	p.Icons["big.png"] = testenv.PortalIcon{Type: "image/png", Data: append(samplePNG(t), make([]byte, MaxIcon)...)}
	p.Icons["x.gif"] = testenv.PortalIcon{Type: "image/gif", Data: []byte("GIF89a\x01\x00\x01\x00")}
	return p
}

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newService(t *testing.T, p *testenv.Portal, secret string) (*Service, *clock) {
	t.Helper()
	st, err := store.NewBolt(filepath.Join(t.TempDir(), "s.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := &clock{now: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
	s, err := New(Options{Config: &config.Navigation{URL: p.NavigationURL(), Secret: secret}, Store: store.ForTenant(st, "t"),
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

// names lists "Category: Entry" of m.
func names(m Menu) string {
	var out []string
	for _, c := range m.Categories {
		for _, e := range c.Entries {
			out = append(out, c.Name+": "+e.Name)
		}
	}
	return strings.Join(out, ", ")
}

// The user's menu comes in their language, with the entries only they may
// see, links made absolute and unsafe ones left out; the portal is asked
// as the user with the shared secret, the portal's address as base.
func TestMenuInBothLanguages(t *testing.T) {
	p := newPortal(t)
	s, _ := newService(t, p, "s3cret")
	de, err := s.Menu(context.Background(), "sub-Alice", "Alice", "de")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(de), "Arbeiten: E-Mail, Arbeiten: Files, Arbeiten: Big, Arbeiten: Gif, Verwaltung: Benutzer"; got != want {
		t.Errorf("German menu = %q; want %q", got, want)
	}
	en, err := s.Menu(context.Background(), "sub-Alice", "Alice", "en")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(en), "Work: Mail, Work: Files, Work: Big, Work: Gif, Administration: Users"; got != want {
		t.Errorf("English menu = %q; want %q", got, want)
	}
	files := en.Categories[0].Entries[1]
	if files.Link != p.URL+"/files/" || files.Target != "_self" || en.Categories[0].Entries[0].Target != "_blank" {
		t.Errorf("files entry = %+v; want the absolute link in the same tab", files)
	}
	r := p.Requests()[0]
	if u, pw, _ := r.BasicAuth(); u != "Alice" || pw != "s3cret" || r.URL.Query().Get("base") != p.URL || r.URL.Query().Get("language") != "de-DE" {
		t.Errorf("portal asked with %q:%q base=%q language=%q", u, pw, r.URL.Query().Get("base"), r.URL.Query().Get("language"))
	}
	// A wrong secret gets the anonymous menu (as the real portal answers).
	wrong, _ := newService(t, p, "wrong")
	m, err := wrong.Menu(context.Background(), "sub-alice", "alice", "en")
	if err != nil || strings.Contains(names(m), "Users") {
		t.Errorf("with a wrong secret: %q, %v; want the anonymous menu", names(m), err)
	}
}

// Icons are fetched server-side within the limits and kept under Pforte's
// own path; SVG counts as SVG only by its content.
func TestMenuIcons(t *testing.T) {
	p := newPortal(t)
	s, _ := newService(t, p, "s3cret")
	m, err := s.Menu(context.Background(), "sub-alice", "alice", "en")
	if err != nil {
		t.Fatal(err)
	}
	icons := map[string]string{}
	for _, e := range m.Categories[0].Entries {
		icons[e.ID] = e.Icon
	}
	for id, typ := range map[string]string{"mail": "image/png", "files": "image/svg+xml"} {
		hash, ok := strings.CutPrefix(icons[id], IconPath)
		if !ok {
			t.Fatalf("%s icon = %q; want a path under %s", id, icons[id], IconPath)
		}
		ic, ok := s.Icon(context.Background(), hash)
		if !ok || ic.Type != typ || !bytes.Equal(ic.Data, p.Icons[map[string]string{"mail": "mail.png", "files": "files.svg"}[id]].Data) {
			t.Errorf("%s icon: %v %q; want the portal's %s", id, ok, ic.Type, typ)
		}
	}
	if icons["big"] != "" || icons["gif"] != "" {
		t.Errorf("big %q, gif %q; want no icon (over %d bytes, not PNG/WebP/SVG)", icons["big"], icons["gif"], MaxIcon)
	}
	if _, ok := s.Icon(context.Background(), "AAAAAAAAAAAAAAAAAAAAAA"); ok {
		t.Error("unknown icon found")
	}
}

// The menu is kept per user for a few minutes; when the portal is down
// afterwards, the last good menu is shown; a user never seen gets an error.
func TestMenuLastGoodWhenPortalDown(t *testing.T) {
	p := newPortal(t)
	s, clk := newService(t, p, "s3cret")
	first, err := s.Menu(context.Background(), "sub-alice", "alice", "de")
	if err != nil {
		t.Fatal(err)
	}
	n := len(p.Requests())
	if _, err := s.Menu(context.Background(), "sub-alice", "alice", "de"); err != nil || len(p.Requests()) != n {
		t.Errorf("second call within %v asked the portal again (%d → %d)", FreshFor, n, len(p.Requests()))
	}
	p.SetDown(true)
	clk.now = clk.now.Add(FreshFor + time.Minute)
	got, err := s.Menu(context.Background(), "sub-alice", "alice", "de")
	if err != nil || names(got) != names(first) {
		t.Errorf("portal down: %q, %v; want the last good menu %q", names(got), err, names(first))
	}
	// While it is down, the user waits for it once per FreshFor, not on every page.
	n = len(p.Requests())
	if got, err := s.Menu(context.Background(), "sub-alice", "alice", "de"); err != nil || names(got) != names(first) || len(p.Requests()) != n {
		t.Errorf("portal down, asked again at once (%d → %d requests): %q, %v", n, len(p.Requests()), names(got), err)
	}
	if _, err := s.Menu(context.Background(), "sub-bob", "bob", "de"); err == nil {
		t.Error("portal down, bob never seen: no error")
	}
	p.SetDown(false)
	p.Entries = p.Entries[:1]
	clk.now = clk.now.Add(FreshFor)
	got, err = s.Menu(context.Background(), "sub-alice", "alice", "de")
	if err != nil || names(got) != "Arbeiten: E-Mail" {
		t.Errorf("portal back: %q, %v; want its new menu", names(got), err)
	}
}

// A fresh menu is read from the store once per instance and then served
// from memory: a page with the central navigation costs no store read.
func TestMenuFromMemory(t *testing.T) {
	p := newPortal(t)
	s, clk := newService(t, p, "s3cret")
	reads := &countingStore{Store: s.Store}
	s.Store = reads
	ctx := context.Background()
	if _, err := s.Menu(ctx, "sub-alice", "alice", "de"); err != nil {
		t.Fatal(err)
	}
	// A second instance on the same store: one store read, then memory.
	other, err := New(s.Options)
	if err != nil {
		t.Fatal(err)
	}
	before, asked := reads.hgets.Load(), len(p.Requests())
	for range 3 {
		got, err := other.Menu(ctx, "sub-alice", "alice", "de")
		if err != nil || names(got) == "" {
			t.Fatalf("menu on the second instance: %q, %v", names(got), err)
		}
	}
	if n := reads.hgets.Load() - before; n != 1 || len(p.Requests()) != asked {
		t.Errorf("three pages on a second instance: %d store reads (want 1), %d portal requests (want 0)", n, len(p.Requests())-asked)
	}
	// In memory, a menu still gets old: after FreshFor the portal is asked.
	clk.now = clk.now.Add(FreshFor)
	if _, err := other.Menu(ctx, "sub-alice", "alice", "de"); err != nil || len(p.Requests()) != asked+1 {
		t.Errorf("after %v the portal was asked %d times, want once: %v", FreshFor, len(p.Requests())-asked, err)
	}
	// Another language is another menu.
	if got, _ := other.Menu(ctx, "sub-alice", "alice", "en"); !strings.Contains(names(got), "Work: Mail") {
		t.Errorf("English menu from memory: %q", names(got))
	}
}

// countingStore counts the menu reads that reach the store.
type countingStore struct {
	store.Store
	hgets atomic.Int64
}

func (c *countingStore) HGet(ctx context.Context, key, field string) ([]byte, error) {
	c.hgets.Add(1)
	return c.Store.HGet(ctx, key, field)
}

func TestIconType(t *testing.T) {
	for in, want := range map[string]string{
		"\x89PNG\r\n\x1a\nrest":                     "image/png",
		"RIFF\x00\x00\x00\x00WEBPVP8 ":              "image/webp",
		"<svg xmlns='http://www.w3.org/2000/svg'/>": "image/svg+xml",
		"<!-- c --><svg/>":                          "image/svg+xml",
		"<html><svg/></html>":                       "",
		"GIF89a":                                    "",
		"text <svg/>":                               "",
	} {
		if got := IconType([]byte(in)); got != want {
			t.Errorf("IconType(%q) = %q; want %q", in, got, want)
		}
	}
}

// The stand-in answers as univention-portal does: an unknown language
// falls back to en_US, no credentials get the anonymous menu, an
// Authorization header that is not Basic is a 400.
func TestPortalStandInIsStrict(t *testing.T) {
	p := newPortal(t)
	get := func(auth string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, p.NavigationURL()+"?language=fr-FR", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		return res.StatusCode, b.String()
	}
	if code, body := get(""); code != http.StatusOK || !strings.Contains(body, `"Work"`) || strings.Contains(body, "Users") {
		t.Errorf("fr-FR, anonymous: %d %s; want the English anonymous menu", code, body)
	}
	if code, _ := get("Bearer abc"); code != http.StatusBadRequest {
		t.Errorf("Bearer header: %d; want 400", code)
	}
}
