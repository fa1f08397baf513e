package dashboard

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
)

// A file whose server gave no getlastmodified has an unknown date: null in
// the JSON, not "0001-01-01T00:00:00Z" (which a client shows as 1 January
// of year 1). Known dates, as_of and mail dates are UTC.
func TestUnknownFileDateIsNullAndTimesAreUTC(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	mod := time.Date(2026, 11, 23, 9, 30, 0, 0, berlin)
	b := filesBlock([]files.File{{Name: "a.odt", Path: "a.odt", Modified: mod}, {Name: "b.odt", Path: "b.odt"}})
	m := mailBlock(mail.Summary{Unread: 1, Messages: []mail.Message{{Subject: "x", Date: mod}}})
	raw, err := json.Marshal(Snapshot{AsOf: mod.UTC(), Files: b, Mail: m})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"path":"b.odt","modified":null`, `"path":"a.odt","modified":"2026-11-23T08:30:00Z"`,
		`"date":"2026-11-23T08:30:00Z"`, `"as_of":"2026-11-23T08:30:00Z"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("JSON lacks %s:\n%s", want, raw)
		}
	}
}
