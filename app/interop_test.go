package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// What a partner city's servers showed (issue 21), end to end with the real
// binary, against Dovecot and Cyrus: mail read through an authzid master
// login (mail.master_style: authzid, the only master login Cyrus takes), a
// message without a Subject named "(kein Betreff)", a group-only From shown
// by its Sender, no empty links without web_url, and a failing calendar
// server whose failure IT finds in the log.
func TestDashboardInterop(t *testing.T) {
	for _, imapEnv := range []string{"PFORTE_TEST_IMAP", "PFORTE_TEST_CYRUS"} {
		t.Run(imapEnv, func(t *testing.T) { testDashboardInterop(t, imapEnv) })
	}
}

func testDashboardInterop(t *testing.T, imapEnv string) {
	o := testOIDC(t)
	mark := unique()
	at := time.Now().Add(3 * time.Hour) // newer than what other tests seed
	appendRaw(t, imapEnv, "alice", at, "From: Amt <amt@musterstadt.example>\r\nTo: alice@musterstadt.example\r\nDate: "+
		at.Format(time.RFC1123Z)+"\r\nMessage-ID: <"+mark+"-a@test>\r\n\r\nOhne Betreff.\r\n")
	appendRaw(t, imapEnv, "alice", at.Add(time.Minute), "From: undisclosed-recipients:;\r\nSender: Poststelle "+mark+
		" <post@musterstadt.example>\r\nTo: alice@musterstadt.example\r\nSubject: Rundschreiben "+mark+"\r\nDate: "+
		at.Format(time.RFC1123Z)+"\r\nMessage-ID: <"+mark+"-b@test>\r\n\r\nHallo.\r\n")
	fileName := "Bericht " + mark + ".odt"
	seedFile(t, "alice", "interop-"+mark+"/"+fileName, []byte("Bericht"), at)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	master, masterPW, _ := strings.Cut(testenv.Server(t, imapEnv+"_MASTER"), ":")

	id := uniqueID("interop")
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
listen: "127.0.0.1:0"
secret_key: `+testSecret+`
store: {redis_url: "`+testenv.Server(t, "PFORTE_TEST_REDIS_URL")+`"}
tenants:
  - id: `+id+`
    hosts: [127.0.0.1]
    name: Portal Interop
    oidc: {issuer: "`+o.Issuer+`", client_id: `+o.ClientID+`, client_secret: "`+o.Secret+`", scopes: [groups, offline_access]}
    mail: {imap: "`+testenv.Server(t, imapEnv+"_ADDR")+`", tls: none, auth: master, master_style: authzid, master_user: `+master+`, master_password: "`+masterPW+`"}
    calendar: {url: "http://`+dead+`/{user}/", auth: bearer}
    files: {url: "`+testenv.Server(t, "PFORTE_TEST_WEBDAV_URL")+`", auth: password}
`)
	app := startApp(t, map[string]string{"PFORTE_CONFIG": cfg})
	b := browser(t)
	_, page := signIn(t, b, app.URL, "/", "alice", "alice-pw")
	csrf := csrfOf(t, page)
	// The calendar (bearer: no app password to try at saving) points at a
	// closed port, so the dashboard's fetch fails and must be logged.
	for _, src := range []string{"files"} {
		res, body := do(t, b, http.MethodPost, app.URL+"/settings/accounts/"+src,
			url.Values{"_csrf": {csrf}, "username": {"alice"}, "password": {"alice-pw"}}, http.Header{"Origin": {app.URL}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("connect %s: %d\n%s", src, res.StatusCode, body)
		}
	}

	d := apiDashboard(t, b, app.URL)
	if d.Mail.Status != "ok" || len(d.Mail.Messages) < 2 {
		t.Fatalf("mail through the authzid master login: %+v", d.Mail)
	}
	if m, _ := messageWith(d, "Rundschreiben "+mark); m.From != "Poststelle "+mark {
		t.Errorf("group-only From: shown as from %q (%q), want the Sender", m.From, m.Subject)
	}
	if d.Calendar.ErrorKind != "unreachable" || d.Files.Status != "ok" {
		t.Errorf("calendar %+v files %+v", d.Calendar.Block, d.Files.Block)
	}
	_, html := do(t, b, http.MethodGet, app.URL+"/", nil, nil)
	for _, want := range []string{`<span class="subject">(kein Betreff)</span>`, `<span class="filename">` + fileName + `</span>`} {
		if !strings.Contains(html, want) {
			t.Errorf("start page lacks %s", want)
		}
	}
	if strings.Contains(html, `href=""`) {
		t.Error("start page has empty links (no web_url configured): they must be text")
	}

	// IT finds the failed calendar in the log: tenant, source, kind, host.
	var found bool
	for _, line := range strings.Split(app.Logs(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "dashboard: source failed" {
			continue
		}
		if rec["tenant"] == id && rec["source"] == "calendar" && rec["kind"] == "unreachable" && rec["upstream"] == dead &&
			strings.Contains(fmt.Sprint(rec["detail"]), "connection refused") {
			found = true
		}
		if strings.Contains(line, "alice") {
			t.Errorf("failure log names the user: %s", line)
		}
	}
	if !found {
		t.Errorf("no log line for the failed calendar source:\n%s", app.Logs())
	}
}

// appendRaw APPENDs one raw, unread message to user's INBOX on the stack's
// IMAP server named by imapEnv (its _ADDR and _USERS).
func appendRaw(t *testing.T, imapEnv, user string, received time.Time, msg string) {
	t.Helper()
	c, err := imapclient.DialInsecure(testenv.Server(t, imapEnv+"_ADDR"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, stackPassword(t, imapEnv+"_USERS", user)).Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := c.Append("INBOX", int64(len(msg)), &imap.AppendOptions{Time: received})
	if _, err := cmd.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	_ = c.Logout().Wait()
}
