package web

import (
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
)

func appsOf(apps []config.App) []dashboard.App {
	out := make([]dashboard.App, 0, len(apps))
	for _, a := range apps {
		out = append(out, dashboard.App{Name: a.Name, URL: a.URL, Icon: a.Icon})
	}
	return out
}
