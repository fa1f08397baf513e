package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// TestMyDataAndAdminErase: carol acknowledges an announcement and downloads
// "Meine Daten" from settings (her receipt and profile, nobody else's);
// bob, an admin, erases her data on /admin/erase; carol is signed out, her
// receipt is gone, and the audit log shows the erasure by pseudonym.
func TestMyDataAndAdminErase(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	id := app.post(t, `{"title":"Streik","body":"x","requires_ack":true}`)

	carol, bob := browser(t), browser(t)
	_, home := signIn(t, carol, app.URL, "/", "carol", "carol-pw")
	if res, _ := do(t, carol, http.MethodPost, app.URL+"/announcements/"+id+"/ack", url.Values{"_csrf": {csrfOf(t, home)}, "next": {"/"}}, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("carol's acknowledgement = %d", res.StatusCode)
	}
	signIn(t, bob, app.URL, "/", "bob", "bob-pw")

	_, settings := do(t, carol, http.MethodGet, app.URL+"/settings", nil, nil)
	if !strings.Contains(settings, `href="/settings/my-data"`) {
		t.Fatal("settings offer no \"Meine Daten\" download")
	}
	res, raw := do(t, carol, http.MethodGet, app.URL+"/settings/my-data", nil, nil)
	var mine records.Person
	if err := json.Unmarshal([]byte(raw), &mine); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("my-data = %d %v\n%s", res.StatusCode, err, raw)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("my-data headers: %v", res.Header)
	}
	if mine.Acknowledged[id] == "" || mine.Read[id] == "" || !strings.Contains(string(mine.Profile), "Carla") || mine.Sessions != 1 || mine.Subject == "" {
		t.Errorf("carol's data lacks her receipt, profile or session: %s", raw)
	}
	if strings.Contains(strings.ToLower(raw), "bob") {
		t.Errorf("carol's download holds bob's data: %s", raw)
	}

	res, page := do(t, bob, http.MethodGet, app.URL+"/admin/erase", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="subject"`) {
		t.Fatalf("admin erase page = %d", res.StatusCode)
	}
	form := url.Values{"_csrf": {csrfOf(t, page)}, "subject": {mine.Subject}}
	if _, page := do(t, bob, http.MethodPost, app.URL+"/admin/erase", form, nil); !strings.Contains(page, `role="alert"`) {
		t.Error("erasure without the confirmation box was not refused")
	}
	form.Set("confirm", "yes")
	res, page = do(t, bob, http.MethodPost, app.URL+"/admin/erase", form, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, records.Pseudonym(app.Tenant, mine.Subject)) || !strings.Contains(page, "1 Sitzungen") {
		t.Fatalf("after erasing = %d, page does not report it:\n%s", res.StatusCode, page)
	}

	res, _ = do(t, carol, http.MethodGet, app.URL+"/settings/my-data", nil, nil)
	if res.Request.URL.Path == "/settings/my-data" && res.StatusCode == http.StatusOK {
		t.Error("carol is still signed in after the erasure")
	}
	ts := store.ForTenant(openStore(t, testRedis(t)), app.Tenant)
	for _, key := range []string{"ann:ack:" + id, "ann:read:" + id, "ann:users"} {
		if _, err := ts.HGet(t.Context(), key, mine.Subject); err == nil {
			t.Errorf("%s still holds carol after the erasure", key)
		}
	}
	_, audit := do(t, bob, http.MethodGet, app.URL+"/admin/audit", nil, nil)
	if !strings.Contains(audit, "Daten gelöscht") || !strings.Contains(audit, records.Pseudonym(app.Tenant, mine.Subject)) {
		t.Errorf("audit log does not show the erasure")
	}
}
