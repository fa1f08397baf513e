// Package i18n holds Pforte's German and English message catalogues and
// picks the language for a request: the user's choice, then the browser's
// Accept-Language, then the tenant's default.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"

	"golang.org/x/text/language"
)

//go:embed locales/*.json
var files embed.FS

// Supported lists the languages Pforte speaks, German first.
var Supported = []string{"de", "en"}

// Catalog maps a language to its messages.
type Catalog struct {
	msgs    map[string]map[string]string
	matcher language.Matcher
}

// Load reads the embedded catalogues and checks that every language has
// every key, so a missing translation fails at start, not in front of a user.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	tags := make([]language.Tag, 0, len(Supported))
	for _, lang := range Supported {
		raw, err := files.ReadFile("locales/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang, err)
		}
		c.msgs[lang] = m
		tags = append(tags, language.Make(lang))
	}
	for _, lang := range Supported[1:] {
		if missing := diff(c.msgs[Supported[0]], c.msgs[lang]); len(missing) > 0 {
			return nil, fmt.Errorf("i18n: %s.json lacks %v", lang, missing)
		}
		if extra := diff(c.msgs[lang], c.msgs[Supported[0]]); len(extra) > 0 {
			return nil, fmt.Errorf("i18n: %s.json lacks %v", Supported[0], extra)
		}
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

func diff(a, b map[string]string) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// T returns the message key in lang, formatted with args (fmt verbs).
// An unknown key returns the key itself so a gap is visible, not blank.
func (c *Catalog) T(lang, key string, args ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[Supported[0]]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Pick chooses the language: choice (a supported code from the user's
// setting) wins, then the best match for the Accept-Language header, then
// fallback (the tenant's default).
func (c *Catalog) Pick(choice, acceptLanguage, fallback string) string {
	if c.supported(choice) {
		return choice
	}
	if acceptLanguage != "" {
		tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(tags) > 0 {
			_, idx, conf := c.matcher.Match(tags...)
			if conf > language.No {
				return Supported[idx]
			}
		}
	}
	if c.supported(fallback) {
		return fallback
	}
	return Supported[0]
}

func (c *Catalog) supported(lang string) bool {
	_, ok := c.msgs[lang]
	return ok
}
