package testenv

import (
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// PortalEntry is one app of the stand-in portal: names per portal
// language (de_DE, en_US), a link, an icon path under
// /univention/portal/icons/entries/ and who may see it (nil: everyone,
// also anonymous callers).
type PortalEntry struct {
	ID       string
	Names    map[string]string
	Link     string
	Icon     string
	Target   string
	Category string
	Users    []string
}

// PortalCategory is a heading of the stand-in portal.
type PortalCategory struct {
	ID    string
	Names map[string]string
}

// Portal is a strict stand-in for the Univention/Nubus portal's central
// navigation, built from univention-portal's source:
// python/univention/portal/handlers/navigation_handler.py (the
// navigation.json shape: categories without visible entries left out,
// language "de-DE" → "de_DE" with en_US as fallback, base + link for
// relative links, icon_url = base + "/univention/portal" + icon, target
// default "_blank") and python/univention/portal/extensions/authenticator.py
// (UMCAndSecretAuthenticator: HTTP Basic "<username>:<secret>", username
// lower-cased; a header that is not Basic → 400; no header or a wrong
// secret → the anonymous menu, not an error).
type Portal struct {
	URL        string // http://127.0.0.1:P
	Secret     string
	Categories []PortalCategory
	Entries    []PortalEntry
	// Icons are the files under /univention/portal/icons/entries/, by name.
	Icons map[string]PortalIcon

	srv      *httptest.Server
	down     atomic.Bool
	mu       sync.Mutex
	requests []*http.Request
}

// PortalIcon is one icon file of the stand-in.
type PortalIcon struct {
	Type string
	Data []byte
}

// NewPortal starts the stand-in on 127.0.0.1 until the test ends.
func NewPortal(t testing.TB, secret string) *Portal {
	t.Helper()
	p := &Portal{Secret: secret, Icons: map[string]PortalIcon{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	p.URL = p.srv.URL
	return p
}

// NavigationURL is the portal's navigation.json.
func (p *Portal) NavigationURL() string { return p.URL + "/univention/portal/navigation.json" }

// SetDown makes the portal answer 503 to everything (down behind its proxy).
func (p *Portal) SetDown(down bool) { p.down.Store(down) }

// Requests are the navigation.json requests the stand-in got (also while down).
func (p *Portal) Requests() []*http.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*http.Request(nil), p.requests...)
}

func (p *Portal) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/univention/portal/navigation.json" {
		p.mu.Lock()
		p.requests = append(p.requests, r.Clone(r.Context()))
		p.mu.Unlock()
	}
	if p.down.Load() {
		http.Error(w, "portal down", http.StatusServiceUnavailable)
		return
	}
	if name, ok := strings.CutPrefix(r.URL.Path, "/univention/portal/icons/entries/"); ok {
		ic, found := p.Icons[name]
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ic.Type)
		_, _ = w.Write(ic.Data)
		return
	}
	if r.URL.Path != "/univention/portal/navigation.json" || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	user, ok := p.user(r)
	if !ok {
		http.Error(w, "400: Bad Request", http.StatusBadRequest)
		return
	}
	lang := strings.ReplaceAll(r.URL.Query().Get("language"), "-", "_")
	if lang == "" {
		lang = "en_US"
	}
	base := strings.TrimRight(r.URL.Query().Get("base"), "/")
	if base == "" {
		base = "http://" + r.Host
	}
	choose := func(m map[string]string) string {
		if v := m[lang]; v != "" {
			return v
		}
		return m["en_US"]
	}
	cats := []map[string]any{}
	for _, c := range p.Categories {
		entries := []map[string]any{}
		for _, e := range p.Entries {
			if e.Category != c.ID || (e.Users != nil && !contains(e.Users, user)) {
				continue
			}
			link := e.Link
			if strings.HasPrefix(link, "/") {
				link = base + link
			}
			var icon any
			if e.Icon != "" {
				icon = base + "/univention/portal/icons/entries/" + e.Icon
			}
			target := e.Target
			if target == "" {
				target = "_blank"
			}
			entries = append(entries, map[string]any{"identifier": e.ID, "icon_url": icon, "display_name": choose(e.Names),
				"link": link, "target": target, "keywords": map[string]any{}})
		}
		if len(entries) == 0 {
			continue
		}
		cats = append(cats, map[string]any{"identifier": c.ID, "display_name": choose(c.Names), "entries": entries})
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"categories": cats})
}

// user is the caller as the portal's authenticator sees it: "" for the
// anonymous menu; false for a malformed Authorization header (400).
func (p *Portal) user(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", true
	}
	if !strings.HasPrefix(strings.ToLower(h), "basic ") {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(h[len("basic "):])
	if err != nil {
		return "", false
	}
	name, pw, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", false
	}
	got, want := sha512.Sum512([]byte(pw)), sha512.Sum512([]byte(p.Secret))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return "", true // "password mismatch": the anonymous menu
	}
	return strings.ToLower(name), true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
