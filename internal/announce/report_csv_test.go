package announce

import (
	"strings"
	"testing"
	"time"
)

// The CSV opens safely in a spreadsheet (a name starting with = is not a
// formula) and shows times in the tenant's zone.
func TestReportCSV(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	read := time.Date(2026, 1, 5, 8, 30, 0, 0, time.UTC)
	rep := Report{Groups: []GroupFigures{{Group: "staff", Recipients: []Recipient{
		{KnownUser: KnownUser{Name: "=HYPERLINK(\"http://evil\")"}, ReadAt: read},
		{KnownUser: KnownUser{Name: "Erika"}},
	}}}}
	var sb strings.Builder
	if err := rep.WriteCSV(&sb, berlin); err != nil {
		t.Fatal(err)
	}
	want := "group,name,read_at,acknowledged_at\n" +
		"staff,\"'=HYPERLINK(\"\"http://evil\"\")\",2026-01-05T09:30:00+01:00,\n" +
		"staff,Erika,,\n"
	if sb.String() != want {
		t.Errorf("csv:\n%s\nwant:\n%s", sb.String(), want)
	}
}
