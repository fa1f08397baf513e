package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// An employee's first look: unread mail read with their own sign-in token
// (IMAP OAUTHBEARER against Dovecot), meetings and files after they connect
// app passwords once in settings — all from the real servers, with
// hostile upstream text rendered inert.
func TestDashboardFromRealSources(t *testing.T) {
	o := testOIDC(t)
	mark := unique()
	now := time.Now()
	subject := "Störung <script>alert(1)</script> " + mark
	seedMail(t, "alice", "IT-Service <it@musterstadt.example>", subject, now.Add(time.Minute))
	cal := seedCalendar(t, "alice", "Abstimmung Bürgerbüro "+mark, "https://meet.jit.si/pforte-"+mark, now.Add(30*time.Minute), now.Add(90*time.Minute))
	fileName := "Übersicht Haushalt " + mark + ".xlsx"
	seedFile(t, "alice", "dash-"+mark+"/"+fileName, []byte("Haushalt"), now.Add(time.Hour))

	id := uniqueID("dash")
	cfgPath := sourcesConfig(t, id, o, cal)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfgPath})
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	if !strings.Contains(page, "Guten Tag, Anna Schmidt") {
		t.Fatalf("sign-in failed:\n%s", page)
	}

	d := apiDashboard(t, b, app.URL)
	msg, ok := messageWith(d, subject)
	if d.Mail.Status != "ok" || !ok {
		t.Fatalf("mail with the user's token: %+v", d.Mail)
	}
	if d.Mail.Unread < 1 || msg.From != "IT-Service" || !strings.HasPrefix(msg.URL, "https://mail.musterstadt.example/#uid=") {
		t.Errorf("mail: unread %d, from %q, url %q", d.Mail.Unread, msg.From, msg.URL)
	}
	for name, blk := range map[string]dashboard.Block{"calendar": d.Calendar.Block, "files": d.Files.Block} {
		if blk.Status != "error" || blk.ErrorKind != "not_set_up" || blk.Reason == "" {
			t.Errorf("%s before connecting: %+v, want error not_set_up with a reason", name, blk)
		}
	}
	if d.User.Name != "Anna Schmidt" || len(d.Apps) != 1 || d.Apps[0].Name != "Chat" {
		t.Errorf("user %+v apps %+v", d.User, d.Apps)
	}

	// Konten verbinden: app passwords for calendar and files.
	csrf := csrfOf(t, page)
	for _, src := range []string{"calendar", "files"} {
		res, body := do(t, b, http.MethodPost, app.URL+"/settings/accounts/"+src,
			url.Values{"_csrf": {csrf}, "username": {"alice"}, "password": {"alice-pw"}}, http.Header{"Origin": {app.URL}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Verbunden") {
			t.Fatalf("connect %s: %d\n%s", src, res.StatusCode, body)
		}
	}
	if raw := rawKey(t, app, id, "acct:"); strings.Contains(raw, "alice-pw") {
		t.Error("app password stored in clear text")
	}

	d = apiDashboard(t, b, app.URL)
	_, body := do(t, b, http.MethodGet, app.URL+"/api/dashboard", nil, nil)
	for _, field := range []string{`"join_url"`, `"all_day"`, `"location"`, `"modified"`, `"size"`, `"path"`, `"url"`} {
		if !strings.Contains(body, field) {
			t.Errorf("/api/dashboard lacks %s", field)
		}
	}
	if d.Calendar.Status != "ok" || len(d.Calendar.Events) != 1 {
		t.Fatalf("calendar after connecting: %+v", d.Calendar)
	}
	ev := d.Calendar.Events[0]
	if ev.Title != "Abstimmung Bürgerbüro "+mark || ev.JoinURL != "https://meet.jit.si/pforte-"+mark || !ev.Start.Equal(now.Add(30*time.Minute).Truncate(time.Second)) {
		t.Errorf("event: %+v", ev)
	}
	if d.Files.Status != "ok" || len(d.Files.Files) == 0 || d.Files.Files[0].Name != fileName || d.Files.Files[0].Path != "dash-"+mark+"/"+fileName || d.Files.Files[0].Size != 8 {
		t.Errorf("files after connecting: %+v", d.Files)
	}

	// The server-rendered page shows it, with upstream text as inert text.
	_, html := do(t, b, http.MethodGet, app.URL+"/", nil, nil)
	for _, want := range []string{"Störung &lt;script&gt;alert(1)&lt;/script&gt; " + mark, "Abstimmung Bürgerbüro " + mark, fileName, `href="https://meet.jit.si/pforte-` + mark + `"`, "Beitreten", "Stand:"} {
		if !strings.Contains(html, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	if strings.Contains(html, "<script>alert(1)") {
		t.Error("start page contains the mail subject's script as markup")
	}

	// A user can remove an app password again.
	res, body := do(t, b, http.MethodPost, app.URL+"/settings/accounts/files/delete", url.Values{"_csrf": {csrf}, "confirm": {"1"}}, http.Header{"Origin": {app.URL}})
	if res.StatusCode != http.StatusOK || strings.Count(body, "Verbunden</strong>") != 1 || !strings.Contains(body, "Gelöscht.") {
		t.Errorf("after removing the files password the settings page should show one connected account: %d", res.StatusCode)
	}
	if d = apiDashboard(t, b, app.URL); d.Files.ErrorKind != "not_set_up" || d.Calendar.Status != "ok" {
		t.Errorf("after removing the files password: files %+v, calendar %s", d.Files.Block, d.Calendar.Status)
	}

	// ETag: an unchanged dashboard costs a 304.
	res, _ = do(t, b, http.MethodGet, app.URL+"/api/dashboard", nil, nil)
	etag := res.Header.Get("ETag")
	res, _ = do(t, b, http.MethodGet, app.URL+"/api/dashboard", nil, http.Header{"If-None-Match": {etag}})
	if etag == "" || res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %q: status %d, want 304", etag, res.StatusCode)
	}
}

// sourcesConfig is a tenant reading the stack's real servers: mail with the
// user's token (bearer), calendar (one calendar of its own) and files with
// app passwords.
func sourcesConfig(t *testing.T, id string, o oidcEnv, cal string) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testenv.Server(t, "PFORTE_TEST_REDIS_URL")+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal Dashboard
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", scopes: [groups, offline_access]}
    mail: {imap: "`+testenv.Server(t, "PFORTE_TEST_IMAP_ADDR")+`", tls: none, auth: bearer, web_url: "https://mail.musterstadt.example/#uid={uid}"}
    calendar: {url: "`+strings.TrimSuffix(testenv.Server(t, "PFORTE_TEST_CALDAV_URL"), "/")+`/{user}/`+cal+`/", auth: password}
    files: {url: "`+testenv.Server(t, "PFORTE_TEST_WEBDAV_URL")+`", auth: password, web_url: "https://cloud.musterstadt.example/apps/files/?dir={dir}"}
    apps: [{name: Chat, url: "https://chat.musterstadt.example", icon: chat}]
`)
}

func apiDashboard(t *testing.T, b *http.Client, base string) dashboard.Dashboard {
	t.Helper()
	res, body := do(t, b, http.MethodGet, base+"/api/dashboard", nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/api/dashboard: %d %s", res.StatusCode, body)
	}
	var d dashboard.Dashboard
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("/api/dashboard is not the contract's JSON: %v\n%s", err, body)
	}
	for _, field := range []string{`"as_of"`, `"user"`, `"mail"`, `"calendar"`, `"files"`, `"announcements"`, `"apps"`, `"unread"`, `"status"`} {
		if !strings.Contains(body, field) {
			t.Errorf("/api/dashboard lacks %s", field)
		}
	}
	return d
}

// messageWith is the dashboard's message with this subject. Other tests
// and packages deliver to the same test mailboxes at the same time, so a
// test's own message need not be the newest one.
func messageWith(d dashboard.Dashboard, subject string) (dashboard.Message, bool) {
	for _, m := range d.Mail.Messages {
		if m.Subject == subject {
			return m, true
		}
	}
	return dashboard.Message{}, false
}
