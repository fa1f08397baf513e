package main

import (
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// aliceObjectID is alice's opendesk_objectid at the test provider: the
// name of her folder at the audience-checking WebDAV server.
const aliceObjectID = "obj-0b9c5e3a-1f4d-4c8e-9a51-a11ce0000001"

// exchangeConfig is a tenant reading the stack's audience-checking servers
// (IMAP, CalDAV, WebDAV) with auth (exchange or bearer) and the audiences
// given; files are found by the user's opendesk_objectid claim.
func exchangeConfig(t *testing.T, id, auth, cal string, aud map[string]string) string {
	t.Helper()
	o := testOIDC(t)
	line := func(source string) string {
		if auth != "exchange" {
			return "auth: " + auth
		}
		return "auth: exchange, audience: " + aud[source]
	}
	return writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testenv.Server(t, "PFORTE_TEST_REDIS_URL")+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal openDesk
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", scopes: [groups, offline_access]}
    mail: {imap: "`+testenv.Server(t, "PFORTE_TEST_IMAP_AUD_ADDR")+`", tls: none, `+line("mail")+`}
    calendar: {url: "`+testenv.Server(t, "PFORTE_TEST_CALDAV_AUD_URL")+`{user}/`+cal+`/", `+line("calendar")+`}
    files: {url: "`+testenv.Server(t, "PFORTE_TEST_WEBDAV_AUD_URL")+`", `+line("files")+`}
`)
}

// Against the stack's audience-checking IMAP, CalDAV and WebDAV servers
// (they accept only tokens whose audience names them), the dashboard fills
// with auth: exchange; the user's own token (auth: bearer) is refused by
// all three, so exchange is really used. A refused exchange shows the
// admin what to allow, and the other sources still work.
func TestDashboardWithTokenExchange(t *testing.T) {
	mark := unique()
	now := time.Now()
	subject := "Ratsvorlage " + mark
	seedMail(t, "alice", "Ratsbüro <rat@musterstadt.example>", subject, now.Add(time.Minute))
	cal := seedCalendar(t, "alice", "Bauausschuss "+mark, "Saal 2", now.Add(30*time.Minute), now.Add(90*time.Minute))
	fileName := "Haushalt " + mark + ".ods"
	seedFile(t, aliceObjectID, "x-"+mark+"/"+fileName, []byte("Haushalt"), now.Add(time.Hour))
	audiences := map[string]string{
		"mail":     testenv.Server(t, "PFORTE_TEST_IMAP_AUDIENCE"),
		"calendar": testenv.Server(t, "PFORTE_TEST_CALDAV_AUDIENCE"),
		"files":    testenv.Server(t, "PFORTE_TEST_WEBDAV_AUDIENCE"),
	}

	t.Run("exchange fills the dashboard", func(t *testing.T) {
		app := startApp(t, map[string]string{"PFORTE_CONFIG": exchangeConfig(t, uniqueID("xchg"), "exchange", cal, audiences)})
		b := browser(t)
		if _, page := signIn(t, b, app.URL, "/", "alice", "alice-pw"); !strings.Contains(page, "Anna Schmidt") {
			t.Fatalf("sign-in failed:\n%s", page)
		}
		d := apiDashboard(t, b, app.URL)
		if _, ok := messageWith(d, subject); d.Mail.Status != "ok" || !ok {
			t.Errorf("mail with an exchanged token: %+v", d.Mail)
		}
		if d.Calendar.Status != "ok" || len(d.Calendar.Events) != 1 || d.Calendar.Events[0].Title != "Bauausschuss "+mark {
			t.Errorf("calendar with an exchanged token: %+v", d.Calendar)
		}
		if d.Files.Status != "ok" || len(d.Files.Files) == 0 || d.Files.Files[0].Name != fileName {
			t.Errorf("files with an exchanged token in alice's opendesk_objectid folder: %+v", d.Files)
		}
		if strings.Contains(app.Logs(), "Bearer ") {
			t.Error("the log shows a bearer token")
		}
	})

	t.Run("the user's own token is refused", func(t *testing.T) {
		app := startApp(t, map[string]string{"PFORTE_CONFIG": exchangeConfig(t, uniqueID("xbear"), "bearer", cal, nil)})
		b := browser(t)
		signIn(t, b, app.URL, "/", "alice", "alice-pw")
		d := apiDashboard(t, b, app.URL)
		for name, kind := range map[string]string{"mail": d.Mail.ErrorKind, "calendar": d.Calendar.ErrorKind, "files": d.Files.ErrorKind} {
			if kind != "auth" {
				t.Errorf("%s with the un-exchanged user token: error_kind %q, want auth (refused)", name, kind)
			}
		}
	})

	t.Run("a refused exchange names what to allow", func(t *testing.T) {
		refused := map[string]string{"mail": audiences["mail"], "calendar": "res-private", "files": audiences["files"]}
		app := startApp(t, map[string]string{"PFORTE_CONFIG": exchangeConfig(t, uniqueID("xref"), "exchange", cal, refused)})
		b := browser(t)
		signIn(t, b, app.URL, "/", "alice", "alice-pw")
		d := apiDashboard(t, b, app.URL)
		if d.Calendar.Status != "error" || d.Calendar.ErrorKind != "auth" ||
			!strings.Contains(d.Calendar.Reason, "refused token exchange for audience res-private") ||
			!strings.Contains(d.Calendar.Reason, "client "+testOIDC(t).ClientID) {
			t.Errorf("calendar with a refused exchange: %+v, want auth with the admin's reason", d.Calendar.Block)
		}
		if d.Mail.Status != "ok" || d.Files.Status != "ok" {
			t.Errorf("other sources after one refused exchange: mail %+v, files %+v", d.Mail.Block, d.Files.Block)
		}
	})
}
