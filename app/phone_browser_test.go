package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// On a 390×844 phone the first screen answers "what do I need now": the
// running meeting marked "läuft" with its Join button, the unread count
// and the critical announcement are all on screen without scrolling, and
// the header is one compact row with settings in it.
func TestBrowserPhoneFirstScreen(t *testing.T) {
	app := startApp(t, map[string]string{}) // the demo: a meeting running now, unread mail
	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	tab.Run(t, chromedp.EmulateViewport(390, 844))
	demoBrowserSignIn(t, tab, app.URL, "admin") // the admin: the header has one link more

	// Two announcements, the critical one second, with a long body first.
	long := strings.Repeat("Bitte beachten Sie die neuen Öffnungszeiten des Bürgerbüros. ", 30)
	critical := "Phishing-Warnung " + unique()
	for _, a := range []struct{ title, body, severity string }{{"Neue Öffnungszeiten " + unique(), long, "info"}, {critical, "Keine Links öffnen.", "critical"}} {
		tab.Run(t,
			chromedp.Navigate(app.URL+"/admin/announcements/new"),
			chromedp.SendKeys(`#f-title`, a.title, chromedp.ByQuery),
			chromedp.SetValue(`#f-body`, a.body, chromedp.ByQuery),
			chromedp.SetValue(`#f-severity`, a.severity, chromedp.ByQuery),
			chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`button[value="publish"]`, chromedp.ByQuery),
			chromedp.Click(`button[value="publish"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-saved]`, chromedp.ByQuery),
		)
	}

	tab.Run(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(`[data-now]`, chromedp.ByQuery))
	var seen map[string]string
	tab.Run(t, chromedp.Evaluate(`(() => {
		const out = {};
		const onScreen = el => { if (!el) return false; const r = el.getBoundingClientRect();
			return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; };
		for (const [name, sel] of Object.entries({meeting: '[data-next-meeting]', unread: '[data-unread]', critical: '[data-critical]',
				join: '[data-next-meeting] .join', settings: 'header a[href="/settings"]', logout: 'header form[action="/logout"] button'})) {
			const el = document.querySelector(sel);
			out[name] = !el ? 'missing' : onScreen(el) ? 'visible: ' + el.textContent.replace(/\s+/g, ' ').trim() : 'off screen';
		}
		out.header = String(document.querySelector('.site-header').getBoundingClientRect().height);
		out.scrolled = String(scrollY);
		out.settingsName = document.querySelector('header a[href="/settings"]').innerText.trim() ||
			document.querySelector('header a[href="/settings"]').textContent.trim();
		return out;
	})()`, &seen))
	for _, c := range []struct{ key, want string }{
		{"meeting", "läuft"}, {"meeting", "Teambesprechung Bürgerbüro"}, {"join", "Beitreten"},
		{"unread", "ungelesen"}, {"critical", critical}, {"settings", "visible"}, {"logout", "Abmelden"},
	} {
		if !strings.HasPrefix(seen[c.key], "visible") || !strings.Contains(seen[c.key], c.want) {
			t.Errorf("at 390×844 %s is %q, want it visible with %q", c.key, seen[c.key], c.want)
		}
	}
	if seen["scrolled"] != "0" {
		t.Errorf("the page was scrolled (%s)", seen["scrolled"])
	}
	if h, err := strconv.ParseFloat(seen["header"], 64); err != nil || h > 64 {
		t.Errorf("the header is %s px high, want one compact row (at most 64)", seen["header"])
	}
	if seen["settingsName"] != "Einstellungen" {
		t.Errorf("the header's settings link is named %q, want Einstellungen (for screen readers too)", seen["settingsName"])
	}
}

// App tiles carry their icon and, on English pages, their English name.
func TestAppTilesTranslatedWithIcons(t *testing.T) {
	app := startApp(t, map[string]string{})
	b := browser(t)
	_, page := do(t, b, http.MethodGet, app.URL+"/login", nil, nil)
	res, home := do(t, b, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"employee"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	if res.StatusCode != http.StatusOK || !regexp.MustCompile(`<a class="tile" href="https://meet.musterstadt.example/"><svg aria-hidden="true" width="24" height="24"><use href="/static/[0-9a-f]+/img/icons.svg#video"></use></svg>Videokonferenz</a>`).MatchString(home) {
		t.Errorf("the German dashboard's video tile lacks its icon or German name:\n%s", home)
	}
	_, en := do(t, b, http.MethodGet, app.URL+"/", nil, http.Header{"Accept-Language": {"en"}})
	if !strings.Contains(en, "#video\"></use></svg>Video conference</a>") || !strings.Contains(en, "</svg>Mail</a>") {
		t.Errorf("the English dashboard does not name the tiles in English")
	}
}
