// Package navigation reads a tenant's central navigation — the app menu
// every openDesk app shows — from the Univention/Nubus portal's
// navigation.json, server-side, and keeps each user's last good menu so the
// tiles stay when the portal is down. Icons are fetched server-side too and
// served by Pforte itself (icons.go), so the browser talks to no other host.
package navigation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// Defaults of a Service.
const (
	FreshFor   = 5 * time.Minute    // a user's menu is asked for again after this
	KeepFor    = 7 * 24 * time.Hour // the last good menu is shown this long while the portal is down
	maxMenu    = 1 << 20            // bytes of navigation.json read at most
	keyMenu    = "nav:menu:"        // + subject: a hash of the menus by language
	keyIcon    = "nav:icon:"        // + content hash
	keyIconURL = "nav:iconurl:"     // + hashed source URL → content hash

	// A menu read here is kept in this instance's memory this long (at
	// most localMenus of them), so a page costs no store read; a person's
	// erasure reaches those copies when they expire.
	localFor   = 15 * time.Second
	localMenus = 4096
)

// Entry is one app of the menu. Icon is Pforte's own path of its icon
// ("" when it has none or it was refused).
type Entry struct {
	ID     string `json:"identifier"`
	Name   string `json:"display_name"`
	Link   string `json:"link"`
	Icon   string `json:"icon"`
	Target string `json:"target"`
}

// Category is a heading of the menu with its entries.
type Category struct {
	ID      string  `json:"identifier"`
	Name    string  `json:"display_name"`
	Entries []Entry `json:"entries"`
}

// Menu is a user's central navigation as Pforte keeps it.
type Menu struct {
	Categories []Category `json:"categories"`
	FetchedAt  time.Time  `json:"fetched_at"` // the portal's last good answer
	// CheckedAt is when the portal was last asked, answering or not: while
	// it is down, each user waits for it at most once per FreshFor.
	CheckedAt time.Time `json:"checked_at"`
}

// Options build a Service for one tenant.
type Options struct {
	Config     *config.Navigation
	Store      store.Store // the tenant's (store.ForTenant)
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
	Timeout    time.Duration // per portal call; default 4s
}

// Service is one tenant's central navigation.
type Service struct {
	Options
	endpoint *url.URL
	base     string                       // the portal's address, sent as base
	local    *expirable.LRU[string, Menu] // subject + "\x00" + lang; read-only values
}

// New checks the portal address once.
func New(o Options) (*Service, error) {
	u, err := url.Parse(o.Config.URL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("navigation: url %q is not an absolute http(s) URL", o.Config.URL)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Timeout <= 0 {
		o.Timeout = config.DefaultSourceTimeout
	}
	return &Service{Options: o, endpoint: u, base: u.Scheme + "://" + u.Host,
		local: expirable.NewLRU[string, Menu](localMenus, nil, localFor)}, nil
}

// Menu is username's menu in lang ("de" or "en"), kept under the user's
// subject (so erasing a person drops it): the one in this instance's
// memory or the store while it is fresh, else the portal's answer, else —
// the portal down or refusing — the last good one. An error means there is
// no menu at all to show.
func (s *Service) Menu(ctx context.Context, subject, username, lang string) (Menu, error) {
	localKey := subject + "\x00" + lang
	if m, ok := s.local.Get(localKey); ok && s.Now().Sub(m.CheckedAt) < FreshFor {
		return m, nil
	}
	key := MenuKey(subject)
	var last Menu
	haveLast := false
	if raw, err := s.Store.HGet(ctx, key, lang); err == nil && json.Unmarshal(raw, &last) == nil {
		if s.Now().Sub(last.CheckedAt) < FreshFor {
			s.local.Add(localKey, last)
			return last, nil
		}
		haveLast = true
	}
	m, err := s.fetch(ctx, username, lang)
	if err != nil {
		if !haveLast {
			return Menu{}, err
		}
		s.Logger.Warn("navigation: portal failed, showing the last good menu", "err", err, "as_of", last.FetchedAt)
		m = last
	}
	m.CheckedAt = s.Now()
	s.local.Add(localKey, m)
	if raw, err := json.Marshal(m); err == nil {
		err := s.Store.HSet(ctx, key, lang, raw)
		if err == nil {
			err = s.Store.Expire(ctx, key, KeepFor)
		}
		if err != nil {
			s.Logger.Warn("navigation: keep menu", "err", err)
		}
	}
	return m, nil
}

// portalAnswer is navigation.json as univention-portal writes it
// (python/univention/portal/handlers/navigation_handler.py).
type portalAnswer struct {
	Categories []struct {
		Identifier  string `json:"identifier"`
		DisplayName string `json:"display_name"`
		Entries     []struct {
			Identifier  string `json:"identifier"`
			IconURL     string `json:"icon_url"`
			DisplayName string `json:"display_name"`
			Link        string `json:"link"`
			Target      string `json:"target"`
		} `json:"entries"`
	} `json:"categories"`
}

// fetch asks the portal as the user: HTTP Basic "<username>:<secret>",
// the portal's address as base and the user's language.
func (s *Service) fetch(ctx context.Context, username, lang string) (Menu, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	u := *s.endpoint
	q := u.Query()
	q.Set("base", s.base)
	q.Set("language", portalLanguage(lang))
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Menu{}, fmt.Errorf("navigation: %w", err)
	}
	req.SetBasicAuth(username, s.Config.Secret)
	req.Header.Set("Accept", "application/json")
	resp, err := s.HTTPClient.Do(req) // #nosec G704 -- the tenant's configured portal
	if err != nil {
		return Menu{}, fmt.Errorf("navigation: portal: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return Menu{}, fmt.Errorf("navigation: portal answered HTTP %d", resp.StatusCode)
	}
	var a portalAnswer
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMenu)).Decode(&a); err != nil {
		return Menu{}, fmt.Errorf("navigation: portal answer: %w", err)
	}
	if a.Categories == nil {
		return Menu{}, errors.New("navigation: portal answer has no categories")
	}
	return s.menuOf(ctx, a), nil
}

// menuOf keeps what may reach a page: http(s) links only, icons as
// Pforte's own paths.
func (s *Service) menuOf(ctx context.Context, a portalAnswer) Menu {
	m := Menu{Categories: []Category{}, FetchedAt: s.Now()}
	for _, c := range a.Categories {
		cat := Category{ID: c.Identifier, Name: c.DisplayName, Entries: []Entry{}}
		for _, e := range c.Entries {
			link := s.absolute(e.Link)
			if link == nil || e.DisplayName == "" {
				continue
			}
			cat.Entries = append(cat.Entries, Entry{ID: e.Identifier, Name: e.DisplayName, Link: link.String(),
				Icon: s.iconPath(ctx, e.IconURL), Target: targetOf(e.Target)})
		}
		if len(cat.Entries) > 0 {
			m.Categories = append(m.Categories, cat)
		}
	}
	return m
}

// absolute resolves a portal link against the portal; nil unless http(s).
func (s *Service) absolute(raw string) *url.URL {
	if raw == "" {
		return nil
	}
	u, err := s.endpoint.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	return u
}

// targetOf maps the portal's link target to the page's: the portal's
// default is a new tab ("_blank").
func targetOf(t string) string {
	switch t {
	case "_self", "samewindow", "embedded":
		return "_self"
	}
	return "_blank"
}

// portalLanguage is the portal's name of a Pforte language.
func portalLanguage(lang string) string {
	if lang == "en" {
		return "en-US"
	}
	return "de-DE"
}

// MenuKey is the store key of a person's menus (in the tenant's store).
func MenuKey(subject string) string { return keyMenu + subject }

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}
