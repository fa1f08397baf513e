package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// closedIMAP is a mail server address where nothing listens: a connection
// is refused at once, no server needed.
const closedIMAP = "127.0.0.1:1"

func withMail(auth string) func(*config.Config) {
	return func(cfg *config.Config) {
		cfg.Tenants[0].Mail = &config.Mail{IMAP: closedIMAP, TLS: "none", Auth: auth}
	}
}

// dashboardDoc is the /api/dashboard contract as a client reads it.
type dashboardDoc struct {
	AsOf          string              `json:"as_of"`
	User          map[string]string   `json:"user"`
	Announcements []map[string]any    `json:"announcements"`
	Apps          []map[string]string `json:"apps"`
	Mail          struct {
		Status    string `json:"status"`
		ErrorKind string `json:"error_kind"`
		Reason    string `json:"reason"`
		Messages  []any  `json:"messages"`
	} `json:"mail"`
	Calendar struct {
		Status string `json:"status"`
		Events []any  `json:"events"`
	} `json:"calendar"`
	Files struct {
		Status string `json:"status"`
		Files  []any  `json:"files"`
	} `json:"files"`
}

// GET /api/dashboard: the flat document with every block, the tenant's
// apps, the user's announcements; an ETag turns an unchanged one into 304.
func TestDashboardDocument(t *testing.T) {
	ts := newTestServer(t, withMail("password"))
	c := ts.client(hostA)
	c.signIn("employee")
	if _, err := ts.srv.Announce.Create(context.Background(), announce.Actor{Name: "test", Tenant: "demo"},
		mustInput(t, `{"title":"Wartung","body":"**heute**","groups":["buergerbuero"],"requires_ack":true}`)); err != nil {
		t.Fatal(err)
	}
	res := c.get("/api/dashboard")
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "private, no-cache" || res.Header.Get("Vary") != "Accept-Language, Cookie" {
		t.Fatalf("dashboard: %d, Cache-Control %q, Vary %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Vary"))
	}
	etag := res.Header.Get("ETag")
	var d dashboardDoc
	decode(t, res, &d)
	if d.AsOf == "" || d.User["name"] != "Erika Mustermann" || d.User["email"] != "erika.mustermann@musterstadt.example" {
		t.Errorf("as_of %q, user %v", d.AsOf, d.User)
	}
	if len(d.Apps) != 5 || d.Apps[0]["name"] != "E-Mail" {
		t.Errorf("apps: %v, want the tenant's five tiles", d.Apps)
	}
	if len(d.Announcements) != 1 || d.Announcements[0]["title"] != "Wartung" || d.Announcements[0]["body_html"] != "<p><strong>heute</strong></p>\n" ||
		d.Announcements[0]["requires_ack"] != true || d.Announcements[0]["acknowledged_at"] != nil {
		t.Errorf("announcements: %v", d.Announcements)
	}
	// Mail uses app passwords and none is connected: an error the page can
	// explain; the unconfigured sources are disabled with empty lists.
	if d.Mail.Status != "error" || d.Mail.ErrorKind != "not_set_up" || d.Mail.Reason == "" || d.Mail.Messages == nil {
		t.Errorf("mail block: %+v", d.Mail)
	}
	if d.Calendar.Status != "disabled" || d.Calendar.Events == nil || d.Files.Status != "disabled" || d.Files.Files == nil {
		t.Errorf("calendar %+v, files %+v: want disabled with empty lists", d.Calendar, d.Files)
	}
	res = c.do(req{path: "/api/dashboard", header: map[string]string{"If-None-Match": etag}})
	if etag == "" || res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with ETag %q: %d, want 304", etag, res.StatusCode)
	}

	// The admin is not in the announcement's group: not on their dashboard.
	admin := ts.client(hostA)
	admin.signIn("admin")
	var ad dashboardDoc
	decode(t, admin.get("/api/dashboard"), &ad)
	if len(ad.Announcements) != 0 || ad.User["name"] != "Max Mustermann" {
		t.Errorf("admin's dashboard: user %v, announcements %v", ad.User, ad.Announcements)
	}
	// Another tenant: its own apps, none of this tenant's announcements.
	other := ts.client(hostB)
	other.signIn("employee")
	var od dashboardDoc
	decode(t, other.get("/api/dashboard"), &od)
	if len(od.Apps) != 1 || od.Apps[0]["name"] != "Intranet" || len(od.Announcements) != 0 || od.Mail.Status != "disabled" {
		t.Errorf("tenant other's dashboard: apps %v, announcements %v, mail %q", od.Apps, od.Announcements, od.Mail.Status)
	}
}

// The start page renders the dashboard on the server (no script needed)
// and counts the announcements shown as read.
func TestHomePageRendersTheDashboard(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	c.signIn("employee")
	a, err := ts.srv.Announce.Create(context.Background(), announce.Actor{Name: "test", Tenant: "demo"}, mustInput(t, `{"title":"Stromausfall Rathaus","body":"Bitte Geräte ausschalten."}`))
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/")
	page := readBody(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Stromausfall Rathaus") || !strings.Contains(page, "Videokonferenz") {
		t.Fatalf("home: %d, announcement or app tiles missing", res.StatusCode)
	}
	reads, err := ts.srv.Announce.Repo("demo").Reads(context.Background(), a.ID)
	if err != nil || len(reads) != 1 {
		t.Errorf("reads after the page was shown: %v, %v; want the employee's", reads, err)
	}
}

func mustInput(t *testing.T, js string) announce.Input {
	t.Helper()
	in, err := announce.DecodeInput(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return in
}
