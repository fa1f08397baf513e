package testenv

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// NCNotification is one notification of the stand-in.
type NCNotification struct {
	App     string
	Subject string
	Time    time.Time
	Link    string
}

// Nextcloud is a strict stand-in for the OCS API of Nextcloud's
// notifications app, built from nextcloud/notifications'
// lib/Controller/EndpointController.php (listNotifications and
// notificationToArray: the v2 fields, 204 when no app sends notifications)
// and Nextcloud's OCS conventions: the {"ocs": {"meta", "data"}} envelope
// as JSON only when asked for (Accept: application/json or format=json,
// else XML); no or wrong credentials → 401 before anything else; no
// OCS-APIRequest header → 412 "CSRF check failed" (the method has no
// NoCSRFRequired attribute, so the SecurityMiddleware's CSRF check
// applies, which an OCS request passes only with that header).
type Nextcloud struct {
	URL string

	srv         *httptest.Server
	mu          sync.Mutex
	passwords   map[string]string // app passwords by user
	tokens      map[string]string // bearer token → user
	notes       map[string][]NCNotification
	NoNotifiers bool // 204: no app uses notifications
}

// NewNextcloud starts the stand-in on 127.0.0.1 until the test ends.
func NewNextcloud(t testing.TB) *Nextcloud {
	t.Helper()
	n := &Nextcloud{passwords: map[string]string{}, tokens: map[string]string{}, notes: map[string][]NCNotification{}}
	n.srv = httptest.NewServer(http.HandlerFunc(n.serve))
	t.Cleanup(n.srv.Close)
	n.URL = n.srv.URL
	return n
}

// AddUser gives user an app password.
func (n *Nextcloud) AddUser(user, password string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.passwords[user] = password
}

// AddToken lets token act as user (Bearer, as user_oidc checks it).
func (n *Nextcloud) AddToken(token, user string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.tokens[token] = user
}

// Notify adds a notification for user.
func (n *Nextcloud) Notify(user string, note NCNotification) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.notes[user] = append(n.notes[user], note)
}

func (n *Nextcloud) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/ocs/v2.php/apps/notifications/api/v2/notifications" || r.Method != http.MethodGet {
		n.ocs(w, r, http.StatusNotFound, 998, "Invalid query", nil)
		return
	}
	user := n.user(r)
	if user == "" {
		n.ocs(w, r, http.StatusUnauthorized, 997, "Current user is not logged in", nil)
		return
	}
	if r.Header.Get("OCS-APIRequest") != "true" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusPreconditionFailed)
		_, _ = w.Write([]byte(`{"message":"CSRF check failed"}`))
		return
	}
	if n.NoNotifiers {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	n.mu.Lock()
	data := []map[string]any{}
	for i, note := range n.notes[user] {
		data = append(data, map[string]any{"notification_id": i + 1, "app": note.App, "user": user,
			"datetime": note.Time.Format(time.RFC3339), "object_type": "x", "object_id": "1",
			"subject": note.Subject, "message": "", "link": note.Link, "subjectRich": "", "subjectRichParameters": []any{},
			"messageRich": "", "messageRichParameters": []any{}, "icon": "", "shouldNotify": true, "actions": []any{}})
	}
	n.mu.Unlock()
	n.ocs(w, r, http.StatusOK, 200, "OK", data)
}

// user is who the request authenticates as, "" for nobody.
func (n *Nextcloud) user(r *http.Request) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return n.tokens[tok]
	}
	if u, pw, ok := r.BasicAuth(); ok && pw != "" && n.passwords[u] == pw {
		return u
	}
	return ""
}

// ocs writes the OCS v2 envelope: JSON when asked for, XML otherwise.
func (n *Nextcloud) ocs(w http.ResponseWriter, r *http.Request, status, code int, msg string, data any) {
	if !strings.Contains(r.Header.Get("Accept"), "application/json") && r.URL.Query().Get("format") != "json" {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<?xml version=\"1.0\"?>\n<ocs><meta><status>failure</status></meta><data/></ocs>"))
		return
	}
	status1 := "ok"
	if status >= 400 {
		status1 = "failure"
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"ocs": map[string]any{
		"meta": map[string]any{"status": status1, "statuscode": code, "message": msg}, "data": data}})
}
