package main

import (
	"strings"
	"testing"
)

// The admin's erasure page (/admin/erase) passes axe-core in German and
// English: an admin reaches it with keyboard and screen reader like the
// other admin pages.
func TestAxeAdminErasePage(t *testing.T) {
	axe := axeSource(t)
	app := startApp(t, map[string]string{}) // the demo, which has an admin
	want := map[string]string{"de": "Daten einer Person löschen", "en": "Erase a person's data"}
	for _, lang := range axeLangs {
		t.Run(lang, func(t *testing.T) {
			tab := axeTab(t, app.URL, lang)
			demoBrowserSignIn(t, tab, app.URL, "admin")
			if h1 := axePage(t, tab, axe, app.URL+"/admin/erase", lang); h1 != want[lang] {
				t.Errorf("erase page heading %q, want %q", h1, want[lang])
			}
			if errs := tab.ConsoleErrors(); len(errs) > 0 {
				t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
			}
		})
	}
}
