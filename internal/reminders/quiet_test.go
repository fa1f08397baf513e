package reminders

import (
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Quiet hours hold a reminder back until they end, unless the meeting
// itself is inside them; a meeting that starts when they end gets none.
func TestSendTimeQuietHours(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	q := &config.QuietHours{Start: "20:00", End: "07:00"}
	day := func(h, m int) time.Time { return time.Date(2026, 12, 2, h, m, 0, 0, berlin) } // a Wednesday
	for _, tc := range []struct {
		name   string
		start  time.Time
		want   time.Time
		wantOK bool
	}{
		{"daytime: lead before", day(10, 0), day(9, 50), true},
		{"reminder in quiet hours, meeting after: at their end", day(7, 5), day(7, 0), true},
		{"meeting inside quiet hours: reminded anyway", day(21, 0), day(20, 50), true},
		{"meeting when quiet hours end: none", day(7, 0), time.Time{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := sendTime(tc.start, 10*time.Minute, q, berlin)
			if ok != tc.wantOK || (ok && !got.Equal(tc.want)) {
				t.Fatalf("sendTime(%s) = %s, %v; want %s, %v", tc.start.Format("15:04"), got.In(berlin).Format("15:04"), ok, tc.want.Format("15:04"), tc.wantOK)
			}
		})
	}
}

// The settings form: on needs a known lead time and scope; off always works.
func TestFormPrefs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		form   Form
		errs   []string
		wantOn bool
	}{
		{"on, 15 min, all", Form{Enabled: true, Lead: "15", Scope: ScopeAll}, nil, true},
		{"on, lead not offered", Form{Enabled: true, Lead: "7", Scope: ScopeVideo}, []string{"lead"}, true},
		{"on, unknown scope", Form{Enabled: true, Lead: "5", Scope: "some"}, []string{"scope"}, true},
		{"off with junk", Form{Enabled: false, Lead: "x", Scope: "y"}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, errs := tc.form.Prefs()
			if len(errs) != len(tc.errs) {
				t.Fatalf("errors = %v, want fields %v", errs, tc.errs)
			}
			for _, f := range tc.errs {
				if errs[f] == "" {
					t.Errorf("no error for %s: %v", f, errs)
				}
			}
			if p.Enabled != tc.wantOn {
				t.Errorf("enabled = %v", p.Enabled)
			}
		})
	}
}
