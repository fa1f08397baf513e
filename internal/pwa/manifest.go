// Package pwa builds what makes Pforte installable, per tenant: the Web App
// Manifest and the service worker script. The web package serves them.
package pwa

import (
	"encoding/json"
	"fmt"
	"strconv"

	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// manifest is the Web App Manifest of a tenant (W3C Web Application Manifest).
type manifest struct {
	ID              string             `json:"id"`
	Name            string             `json:"name"`
	ShortName       string             `json:"short_name"`
	Description     string             `json:"description"`
	Lang            string             `json:"lang"`
	Dir             string             `json:"dir"`
	StartURL        string             `json:"start_url"`
	Scope           string             `json:"scope"`
	Display         string             `json:"display"`
	ThemeColor      string             `json:"theme_color"`
	BackgroundColor string             `json:"background_color"`
	Icons           []manifestIcon     `json:"icons"`
	Shortcuts       []manifestShortcut `json:"shortcuts"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

type manifestShortcut struct {
	Name  string         `json:"name"`
	URL   string         `json:"url"`
	Icons []manifestIcon `json:"icons"`
}

// Manifest is t's manifest in lang, as JSON: its name, colour and icons
// make the installed app look like the city's. tr translates a message key
// into lang.
func Manifest(t *tenant.Tenant, lang string, tr func(key string) string) ([]byte, error) {
	short := t.ShortName
	if short == "" {
		short = t.Name
	}
	ic := t.Brand.Icons
	small := []manifestIcon{icon(ic.Any192, "any")}
	m := manifest{
		ID: "/", Name: t.Name, ShortName: short, Description: tr("pwa.description"),
		Lang: lang, Dir: "ltr", StartURL: "/", Scope: "/", Display: "standalone",
		ThemeColor: t.Theme.PrimaryColor, BackgroundColor: "#ffffff",
		Icons: []manifestIcon{icon(ic.Any192, "any"), icon(ic.Any512, "any"), icon(ic.Maskable512, "maskable")},
		Shortcuts: []manifestShortcut{
			{Name: tr("home.announcements"), URL: "/announcements", Icons: small},
			{Name: tr("settings.title"), URL: "/settings", Icons: small},
		},
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("pwa: manifest: %w", err)
	}
	return body, nil
}

func icon(i tenant.Icon, purpose string) manifestIcon {
	n := strconv.Itoa(i.Size)
	return manifestIcon{Src: IconURL(i), Sizes: n + "x" + n, Type: "image/png", Purpose: purpose}
}

// IconURL is where the web package serves one of the tenant's app icons.
func IconURL(i tenant.Icon) string { return "/brand/icon/" + i.Hash + ".png" }
