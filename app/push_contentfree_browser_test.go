package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Content-free push: the message holds only the announcement id, and the
// service worker fetches the text from Pforte with the user's session
// before it shows the notification.
func TestBrowserContentFreePushFetchesText(t *testing.T) {
	app := startApp(t, map[string]string{})

	// IT (the demo admin) publishes an announcement.
	admin := browser(t)
	_, page := do(t, admin, http.MethodGet, app.URL+"/login", nil, nil)
	_, page = do(t, admin, http.MethodPost, app.URL+"/login/demo", url.Values{"_csrf": {csrfField(t, page)}, "user": {"admin"}, "next": {"/"}}, http.Header{"Origin": {app.URL}})
	body := `{"title":"Phishing-Warnung","body":"Bitte keine Links in der Mail »Gehaltsabrechnung« öffnen.","severity":"critical","push":true}`
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/announcements", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrfOf(t, page))
	req.Header.Set("Origin", app.URL)
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	_ = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || created.ID == "" {
		t.Fatalf("create announcement: %d", res.StatusCode)
	}

	tab := testenv.Browser(t)
	tab.SetLanguage(t, "de-DE")
	id := demoPushRegistration(t, tab, app.URL)
	msg := `{"id":"` + created.ID + `","url":"/announcements#ann-` + created.ID + `","tag":"ann-` + created.ID + `"}`
	// The worker fetched the text: without it, it shows the neutral notification.
	pushShows(t, tab, app.URL, id, msg, "Phishing-Warnung|Bitte keine Links in der Mail »Gehaltsabrechnung« öffnen.|/announcements#ann-"+created.ID)
	// The worker reported the notification as shown: the admin sees it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, detail := do(t, admin, http.MethodGet, app.URL+"/admin/announcements/"+created.ID, nil, nil)
		if strings.Contains(detail, `data-fig="shown">1<`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("admin page does not count the shown notification")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
