package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// record is the full announcement as writers get it.
type record struct {
	ID          string  `json:"id"`
	Tenant      string  `json:"tenant"`
	Title       string  `json:"title"`
	Severity    string  `json:"severity"`
	Author      string  `json:"author"`
	Status      string  `json:"status"`
	BodyHTML    string  `json:"body_html"`
	WithdrawnAt *string `json:"withdrawn_at"`
}

func (c *client) token(method, path, token, body string) *http.Response {
	h := map[string]string{"Authorization": "Bearer " + token}
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	return c.do(req{method: method, path: path, body: body, header: h})
}

// The REST API with a tenant's API token (how monitoring and the
// `pforte announce` CLI write): create, read, change, withdraw.
func TestAnnouncementAPIWithToken(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	res := c.token(http.MethodPost, "/api/announcements", tokenA, `{"title":"Störung E-Mail","body":"Wir arbeiten *daran*.","severity":"warning"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, readBody(t, res))
	}
	var a record
	decode(t, res, &a)
	if res.Header.Get("Location") != "/api/announcements/"+a.ID || a.Status != "live" || a.Author != "api:monitoring" ||
		a.Tenant != "demo" || a.BodyHTML != "<p>Wir arbeiten <em>daran</em>.</p>\n" {
		t.Errorf("created: Location %q, %+v", res.Header.Get("Location"), a)
	}
	var got record
	decode(t, c.token(http.MethodGet, "/api/announcements/"+a.ID, tokenA, ""), &got)
	if got.Title != "Störung E-Mail" {
		t.Errorf("get: %+v", got)
	}
	var list struct {
		Announcements []record `json:"announcements"`
	}
	decode(t, c.token(http.MethodGet, "/api/announcements", tokenA, ""), &list)
	if len(list.Announcements) != 1 || list.Announcements[0].Status != "live" {
		t.Errorf("list with token: %+v", list)
	}

	res = c.token(http.MethodPatch, "/api/announcements/"+a.ID, tokenA, `{"severity":"critical"}`)
	decode(t, res, &got)
	if res.StatusCode != http.StatusOK || got.Severity != "critical" || got.Title != "Störung E-Mail" {
		t.Errorf("patch: %d %+v", res.StatusCode, got)
	}
	res = c.token(http.MethodDelete, "/api/announcements/"+a.ID, tokenA, "")
	decode(t, res, &got)
	if res.StatusCode != http.StatusOK || got.WithdrawnAt == nil || got.Status != "withdrawn" {
		t.Errorf("withdraw: %d %+v", res.StatusCode, got)
	}
	wantError(t, c.token(http.MethodPatch, "/api/announcements/"+a.ID, tokenA, `{"title":"x"}`), http.StatusConflict, "the announcement was withdrawn")
	wantError(t, c.token(http.MethodGet, "/api/announcements/nope", tokenA, ""), http.StatusNotFound, "no such announcement")
	wantError(t, c.token(http.MethodDelete, "/api/announcements/nope", tokenA, ""), http.StatusNotFound, "no such announcement")

	log, err := ts.srv.Announce.Repo("demo").AuditLog(context.Background(), 10)
	if err != nil || len(log) != 3 || log[0].Action != "withdraw" || log[2].Action != "create" || log[0].Actor != "api:monitoring" {
		t.Errorf("audit log: %+v, %v", log, err)
	}
}

// Mistakes get a 400 naming the field, a wrong or foreign token a 401.
func TestAnnouncementAPIRefusals(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(hostA)
	wantError(t, c.token(http.MethodPost, "/api/announcements", tokenA, `{"title":"","body":"x"}`), http.StatusBadRequest, "title:")
	wantError(t, c.token(http.MethodPost, "/api/announcements", tokenA, `{"title":"t","body":"x","colour":"red"}`), http.StatusBadRequest, "colour: unknown field")
	wantError(t, c.token(http.MethodPost, "/api/announcements", tokenA, `{"title":"t","body":"x","severity":"panic"}`), http.StatusBadRequest, "severity:")
	wantError(t, c.token(http.MethodPost, "/api/announcements", tokenA, `{"title":`), http.StatusBadRequest, "body:")
	res := c.do(req{method: http.MethodPost, path: "/api/announcements", body: "title=x",
		header: map[string]string{"Authorization": "Bearer " + tokenA, "Content-Type": "application/x-www-form-urlencoded"}})
	wantError(t, res, http.StatusUnsupportedMediaType, "application/json")

	wantError(t, c.token(http.MethodPost, "/api/announcements", "wrong", `{"title":"t","body":"x"}`), http.StatusUnauthorized, "invalid API token")
	wantError(t, c.token(http.MethodPost, "/api/announcements", tokenB, `{"title":"t","body":"x"}`), http.StatusUnauthorized, "invalid API token")
	wantError(t, c.token(http.MethodGet, "/api/announcements", tokenB, ""), http.StatusUnauthorized, "invalid API token")
	wantError(t, c.get("/api/announcements"), http.StatusUnauthorized, "sign in first")
	wantError(t, c.do(req{method: http.MethodPost, path: "/api/announcements", body: `{"title":"t","body":"x"}`}), http.StatusForbidden, "CSRF")
	if all, _ := ts.srv.Announce.Repo("demo").All(context.Background()); len(all) != 0 {
		t.Errorf("refused requests stored %d announcements", len(all))
	}
}

// Signed in, the API is the caller's view: what their groups may see, in
// their language, with their acknowledgement; only admins write.
func TestAnnouncementAPIForSignedInUsers(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(hostA)
	admin.signIn("admin")
	res := admin.json(http.MethodPost, "/api/announcements", `{"title":"Neue Drucker","body":"Ab Montag.","groups":["buergerbuero"],"requires_ack":true,
		"translations":{"en":{"title":"New printers","body":"From Monday."}}}`)
	var a record
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("admin create: %d %s", res.StatusCode, readBody(t, res))
	}
	decode(t, res, &a)
	if a.Author != "Max Mustermann (max)" {
		t.Errorf("author %q, want the admin's name and login", a.Author)
	}
	if _, err := ts.srv.Announce.Create(context.Background(), actorForTest("demo"), mustInput(t, `{"title":"Nur IT","body":"x","groups":["it-admins"]}`)); err != nil {
		t.Fatal(err)
	}

	emp := ts.client(hostA)
	emp.signIn("employee")
	type item struct {
		ID             string  `json:"id"`
		Title          string  `json:"title"`
		RequiresAck    bool    `json:"requires_ack"`
		AcknowledgedAt *string `json:"acknowledged_at"`
	}
	var view struct {
		Announcements []item `json:"announcements"`
	}
	decode(t, emp.get("/api/announcements"), &view)
	if len(view.Announcements) != 1 || view.Announcements[0].Title != "Neue Drucker" || view.Announcements[0].AcknowledgedAt != nil {
		t.Fatalf("employee's view: %+v", view)
	}
	emp.do(req{path: "/lang/en?next=/"})
	decode(t, emp.get("/api/announcements"), &view)
	if len(view.Announcements) != 1 || view.Announcements[0].Title != "New printers" {
		t.Errorf("employee's view in English: %+v", view)
	}

	ack := func(id string) *http.Response {
		return emp.do(req{method: http.MethodPost, path: "/announcements/" + id + "/ack",
			header: map[string]string{"Accept": "application/json", "X-CSRF-Token": emp.csrf}})
	}
	if res := ack(a.ID); res.StatusCode != http.StatusNoContent {
		t.Fatalf("acknowledge: %d %s", res.StatusCode, readBody(t, res))
	}
	decode(t, emp.get("/api/announcements"), &view)
	if view.Announcements[0].AcknowledgedAt == nil {
		t.Error("acknowledged_at stays empty after acknowledging")
	}
	if res := ack("unknown"); res.StatusCode != http.StatusNotFound {
		t.Errorf("ack of an unknown id: %d, want 404", res.StatusCode)
	}

	wantError(t, emp.json(http.MethodPost, "/api/announcements", `{"title":"t","body":"x"}`), http.StatusForbidden, "IT administrators only")
	res = admin.do(req{method: http.MethodPost, path: "/api/announcements", body: `{"title":"t","body":"x"}`, header: map[string]string{"Content-Type": "application/json"}})
	wantError(t, res, http.StatusForbidden, "CSRF")
	if !strings.Contains(readBody(t, ts.client(hostA).get("/api/openapi.json")), "/api/announcements") {
		t.Error("openapi.json does not describe the announcements API")
	}
}
