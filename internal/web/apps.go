package web

import (
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

// appsOf is the tenant's app tiles in lang: name_en on English pages when
// the tenant wrote one.
func appsOf(apps []config.App, lang string) []dashboard.App {
	out := make([]dashboard.App, 0, len(apps))
	for _, a := range apps {
		name := a.Name
		if lang == "en" && a.NameEN != "" {
			name = a.NameEN
		}
		out = append(out, dashboard.App{Name: name, URL: a.URL, Icon: a.Icon})
	}
	return out
}
