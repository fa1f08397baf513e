package announce

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The audit log names an admin with their login when it differs, a tool
// by its token; writers get the record with its rendered body and status.
func TestWriterViews(t *testing.T) {
	if a := AdminActor("Anna Berg", "aberg", "t1"); a.Name != "Anna Berg (aberg)" || a.Via != ViaUI || a.Tenant != "t1" {
		t.Errorf("AdminActor = %+v", a)
	}
	if a := AdminActor("admin", "admin", "t1"); a.Name != "admin" {
		t.Errorf("AdminActor repeats the login: %q", a.Name)
	}
	if a := TokenActor("ci", "t1"); a.Name != "api:ci" || a.Via != ViaAPI {
		t.Errorf("TokenActor = %+v", a)
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	s := NewService(nil, nil, func() time.Time { return now })
	raw, err := json.Marshal(s.FullOf(&Announcement{ID: "x1", Body: "**hi**", PublishAt: now.Add(-time.Hour)}, now))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id":"x1"`, `"body_html":"\u003cp\u003e\u003cstrong\u003ehi`, `"status":"live"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("FullOf JSON %s lacks %s", raw, want)
		}
	}
}
