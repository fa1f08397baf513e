package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Nextcloud notifications on the start page: the user connects an app
// password in settings (tried against the stand-in first), then the card
// shows the count and the newest ones as inert text; /api/dashboard has
// the notifications block. A wrong app password is refused in settings.
func TestNotificationsCard(t *testing.T) {
	nc := testenv.NewNextcloud(t)
	nc.AddUser("erika", "nc-app-pw")
	nc.Notify("erika", testenv.NCNotification{App: "spreed", Subject: `<img src=x onerror=alert(1)> hat Sie erwähnt`,
		Time: time.Now().Add(-time.Minute), Link: "javascript:alert(2)"})
	nc.Notify("erika", testenv.NCNotification{App: "files_sharing", Subject: "Haushalt.xlsx geteilt", Time: time.Now().Add(-time.Hour),
		Link: "https://cloud.example/f/12"})
	ts := newTestServer(t, func(cfg *config.Config) {
		cfg.Tenants[0].Notifications = &config.Notifications{URL: nc.URL, Auth: "password", WebURL: "https://cloud.example/apps/notifications"}
	})
	c := ts.client(hostA)
	c.signIn("employee")
	res := c.form("/settings/accounts/notifications", url.Values{"username": {"erika"}, "password": {"wrong"}})
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "error=notifications") {
		t.Fatalf("wrong app password: redirect %q; want an error", loc)
	}
	res = c.form("/settings/accounts/notifications", url.Values{"username": {"erika"}, "password": {"nc-app-pw"}})
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "saved=notifications") {
		t.Fatalf("app password: redirect %q; want saved", loc)
	}
	page := readBody(t, c.get("/"))
	for _, want := range []string{"Benachrichtigungen", "2 neue Benachrichtigungen", "&lt;img src=x onerror=alert(1)&gt; hat Sie erwähnt",
		`<a href="https://cloud.example/f/12" class="subject">Haushalt.xlsx geteilt</a>`, `href="https://cloud.example/apps/notifications"`} {
		if !strings.Contains(page, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	if strings.Contains(page, "<img src=x") || strings.Contains(page, "javascript:alert") {
		t.Error("upstream markup or a javascript: link reached the page")
	}
	var d struct {
		Notifications struct {
			Status        string           `json:"status"`
			Count         int              `json:"count"`
			Notifications []map[string]any `json:"notifications"`
		} `json:"notifications"`
	}
	res = c.get("/api/dashboard")
	if res.StatusCode != http.StatusOK {
		t.Fatal(res.StatusCode)
	}
	decode(t, res, &d)
	if d.Notifications.Status != "ok" || d.Notifications.Count != 2 || d.Notifications.Notifications[1]["url"] != "https://cloud.example/f/12" {
		t.Errorf("notifications block: %+v", d.Notifications)
	}
}
