package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// With web_item_url set, every item on the dashboard opens itself in the
// workplace app: the message by its IMAP UID on Dovecot, the event by its
// UID and href on Radicale, the file by its path on the WebDAV server,
// each value one URL component even when the name is hostile.
func TestDashboardLinksFollowWebItemURL(t *testing.T) {
	o := testOIDC(t)
	mark := unique()
	now := time.Now()
	seedMail(t, "alice", "IT-Service <it@musterstadt.example>", "Item "+mark, now.Add(time.Minute))
	start := now.Add(30 * time.Minute)
	cal := seedCalendar(t, "alice", "Item "+mark, "Raum 1", start, now.Add(90*time.Minute))
	dir, name := "item "+mark+" #&?", `Plan "1" & Q?#.txt`
	seedFile(t, "alice", dir+"/"+name, []byte("x"), now.Add(time.Hour))

	caldav := strings.TrimSuffix(testenv.Server(t, "PFORTE_TEST_CALDAV_URL"), "/")
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testenv.Server(t, "PFORTE_TEST_REDIS_URL")+`"}
tenants:
  - id: `+uniqueID("item")+`
    hosts: [127.0.0.1]
    name: Portal Items
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", scopes: [groups, offline_access]}
    mail: {imap: "`+testenv.Server(t, "PFORTE_TEST_IMAP_ADDR")+`", tls: none, auth: bearer, web_url: "https://mail.musterstadt.example/",
      web_item_url: "https://mail.musterstadt.example/?_task=mail&_mbox={folder}&_uid={uid}&mid={message_id}&_action=show"}
    calendar: {url: "`+caldav+`/{user}/`+cal+`/", auth: password, web_url: "https://cal.musterstadt.example/",
      web_item_url: "https://cal.musterstadt.example/event/{uid}?href={href}&day={date}"}
    files: {url: "`+testenv.Server(t, "PFORTE_TEST_WEBDAV_URL")+`", auth: password, web_url: "https://cloud.musterstadt.example/apps/files/?dir={dir}",
      web_item_url: "https://cloud.musterstadt.example/apps/files/?dir={dir}&name={name}"}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	csrf := csrfOf(t, page)
	for _, src := range []string{"calendar", "files"} {
		res, body := do(t, b, http.MethodPost, app.URL+"/settings/accounts/"+src,
			url.Values{"_csrf": {csrf}, "username": {"alice"}, "password": {"alice-pw"}}, http.Header{"Origin": {app.URL}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Verbunden") {
			t.Fatalf("connect %s: %d\n%s", src, res.StatusCode, body)
		}
	}
	d := apiDashboard(t, b, app.URL)

	msg, ok := messageWith(d, "Item "+mark)
	if d.Mail.Status != "ok" || !ok {
		t.Fatalf("mail: %+v", d.Mail)
	}
	q := query(t, msg.URL, "https://mail.musterstadt.example/")
	if uid, err := strconv.Atoi(q.Get("_uid")); err != nil || uid < 1 || q.Get("_mbox") != "INBOX" ||
		!strings.HasSuffix(q.Get("mid"), "@test") || q.Get("_action") != "show" {
		t.Errorf("message link %q", msg.URL)
	}

	if d.Calendar.Status != "ok" || len(d.Calendar.Events) != 1 {
		t.Fatalf("calendar: %+v", d.Calendar)
	}
	calPath, _ := url.Parse(caldav + "/alice/" + cal + "/event.ics")
	q = query(t, d.Calendar.Events[0].URL, "https://cal.musterstadt.example/event/"+cal)
	if q.Get("href") != calPath.Path || q.Get("day") != start.In(berlin(t)).Format(time.DateOnly) {
		t.Errorf("event link %q: want href %q", d.Calendar.Events[0].URL, calPath.Path)
	}

	if d.Files.Status != "ok" || len(d.Files.Files) == 0 || d.Files.Files[0].Name != name {
		t.Fatalf("files: %+v", d.Files)
	}
	q = query(t, d.Files.Files[0].URL, "https://cloud.musterstadt.example/apps/files/")
	if q.Get("dir") != "/"+dir || q.Get("name") != name || len(q) != 2 {
		t.Errorf("file link %q: query %v", d.Files.Files[0].URL, q)
	}
}

// query parses link, checks it starts with prefix (up to the query) and
// has no fragment, and returns its query.
func query(t *testing.T, link, prefix string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Fragment != "" || !strings.HasPrefix(link, prefix) || strings.Split(link, "?")[0] != prefix {
		t.Fatalf("link %q: want %s?… without fragment (%v)", link, prefix, err)
	}
	return u.Query()
}

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
