package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// In Chromium, an admin writes a phishing warning to a mistyped group: the
// form first shows every mistake next to its field in German, then a
// summary naming the audience and warning about the unknown group; nothing
// reaches staff before "Jetzt veröffentlichen".
func TestBrowserPublishSummaryAndFieldErrors(t *testing.T) {
	axe := axeSource(t)
	o := testOIDC(t)
	app := startAnnApp(t, o)
	alice := browser(t)
	signIn(t, alice, app.URL, "/", "alice", "alice-pw") // known: staff, hr
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	browserSignIn(t, tab, o, app.URL+"/", "bob", "bob-pw")
	title := "Phishing-Warnung " + unique()

	// The admin link sits in the header.
	tab.Run(t, chromedp.Click(`header a[href="/admin/announcements"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href="/admin/announcements/new"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="/admin/announcements/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-title`, chromedp.ByQuery))

	// Three mistakes at once (a blank title passes the browser's required check).
	var titleErr, groupsErr, expiresErr, invalid string
	tab.Run(t,
		chromedp.SendKeys(`#f-title`, "   ", chromedp.ByQuery),
		chromedp.SendKeys(`#f-body`, "Bitte keine Links öffnen.", chromedp.ByQuery),
		chromedp.SendKeys(`#f-groups`, "hr, Bürger#amt", chromedp.ByQuery),
		chromedp.SetValue(`#f-publish`, "2030-01-02T10:00", chromedp.ByQuery),
		chromedp.SetValue(`#f-expires`, "2030-01-01T10:00", chromedp.ByQuery),
		chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-title-err`, chromedp.ByQuery),
		chromedp.Text(`#f-title-err`, &titleErr, chromedp.ByQuery),
		chromedp.Text(`#f-groups-err`, &groupsErr, chromedp.ByQuery),
		chromedp.Text(`#f-expires-err`, &expiresErr, chromedp.ByQuery),
		chromedp.AttributeValue(`#f-title`, "aria-describedby", &invalid, nil, chromedp.ByQuery),
	)
	if titleErr != "Darf nicht leer sein." || !strings.HasPrefix(groupsErr, "Kein gültiger Gruppenname") ||
		expiresErr != "Muss nach dem Veröffentlichungszeitpunkt liegen." || invalid != "f-title-err" {
		t.Errorf("field errors: title %q, groups %q, expires %q, title described by %q; want all three in German next to their fields",
			titleErr, groupsErr, expiresErr, invalid)
	}
	for _, v := range axeCheck(t, tab, axe) {
		t.Errorf("axe on the form with errors: %s", v)
	}

	// Fixed, but to a group nobody is in: the summary warns by name.
	var summary string
	tab.Run(t,
		chromedp.SetValue(`#f-title`, title, chromedp.ByQuery),
		chromedp.SetValue(`#f-groups`, "hr, Buergeramt", chromedp.ByQuery),
		chromedp.SetValue(`#f-publish`, "", chromedp.ByQuery),
		chromedp.SetValue(`#f-expires`, "", chromedp.ByQuery),
		chromedp.SetValue(`#f-severity`, "critical", chromedp.ByQuery),
		chromedp.Click(`#f-groups ~ label input[name="push"]`, chromedp.ByQuery),
		chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-review]`, chromedp.ByQuery),
		chromedp.Text(`[data-review]`, &summary, chromedp.ByQuery),
	)
	for _, want := range []string{"1 bekannte Personen", "Push an 0 Geräte", "Kritisch", title, "sofort",
		"Unbekannte Zielgruppe: „Buergeramt“", "Bekannte Gruppen: hr, it-admins, staff"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	for _, v := range axeCheck(t, tab, axe) {
		t.Errorf("axe on the summary: %s", v)
	}
	if pageHas(t, alice, app.URL, title) {
		t.Fatal("the summary step published the announcement")
	}
	var notice string
	tab.Run(t, chromedp.Click(`button[value="publish"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-saved]`, chromedp.ByQuery),
		chromedp.Text(`[data-saved]`, &notice, chromedp.ByQuery))
	if notice != "Veröffentlicht – Push an 0 Geräte unterwegs." || !pageHas(t, alice, app.URL, title) {
		t.Errorf("after publishing: notice %q; alice sees it: %v", notice, pageHas(t, alice, app.URL, title))
	}
}
