package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// The notifications block fills from Nextcloud's OCS API (the strict
// stand-in) next to files from the real WebDAV server; refused
// credentials make only the notifications block an auth error.
func TestNotificationsBlockNextToOtherSources(t *testing.T) {
	nc := testenv.NewNextcloud(t)
	nc.AddUser("bob", "nc-app-pw")
	now := time.Now().UTC().Truncate(time.Second)
	for i, s := range []string{"Anna hat »Haushalt.xlsx« mit Ihnen geteilt", "Neuer Kommentar", "Erinnerung: Frist"} {
		nc.Notify("bob", testenv.NCNotification{App: "files_sharing", Subject: s, Time: now.Add(time.Duration(-i) * time.Hour),
			Link: "https://cloud.example/f/" + s[:4]})
	}
	tn := &config.Tenant{ID: "t", Location: time.UTC,
		Files:         &config.DAV{URL: testenv.Server(t, "PFORTE_TEST_WEBDAV_URL"), Auth: "password"},
		Notifications: &config.Notifications{URL: nc.URL, Auth: "password", WebURL: "https://cloud.example/apps/notifications"}}
	src, err := SourcesFor(tn, &http.Client{Timeout: 5 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	build := func(ncPassword string) Snapshot {
		return Build(context.Background(), src, 5*time.Second, Request{Now: now,
			Creds: func(_ context.Context, source string) (upstream.Credential, error) {
				if source == "notifications" {
					return upstream.Credential{Username: "bob", Password: ncPassword}, nil
				}
				return userCred(t, "PFORTE_TEST_WEBDAV_USERS", "bob"), nil
			}})
	}
	d := build("nc-app-pw")
	n := d.Notifications
	if n.Status != StatusOK || n.Count != 3 || len(n.Notifications) != 3 || n.WebURL != "https://cloud.example/apps/notifications" {
		t.Fatalf("notifications block: %+v", n)
	}
	if first := n.Notifications[0]; !strings.HasPrefix(first.Subject, "Anna hat") || first.App != "files_sharing" || !first.Time.Equal(now) || first.URL == "" {
		t.Errorf("newest notification: %+v", first)
	}
	if d.Files.Status != StatusOK {
		t.Errorf("files: %+v; want ok", d.Files.Block)
	}
	d = build("wrong")
	if d.Notifications.Status != StatusError || d.Notifications.ErrorKind != string(upstream.KindAuth) || d.Notifications.Reason == "" {
		t.Errorf("refused credentials: %+v; want error/auth with a reason", d.Notifications.Block)
	}
	if d.Files.Status != StatusOK {
		t.Errorf("files next to refused notifications: %+v; want ok", d.Files.Block)
	}
	raw, _ := json.Marshal(d)
	if !strings.Contains(string(raw), `"notifications":{"status":"error","reason":`) || strings.Contains(string(raw), "null") {
		t.Errorf("document: %s", raw)
	}
	// A tenant without the section shows it disabled, with an empty list.
	d = Build(context.Background(), Sources{}, time.Second, Request{Now: now})
	if d.Notifications.Status != StatusDisabled || d.Notifications.Notifications == nil {
		t.Errorf("unconfigured: %+v", d.Notifications)
	}
}
