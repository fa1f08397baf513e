package config

import (
	"strings"
	"testing"
)

// Retention: absent keys take the documented defaults, given ones stay,
// and an impossible number is named with its path and the allowed range.
func TestRetentionDefaultsAndProblems(t *testing.T) {
	head := "secret_key: " + testKey + "\ntenants:\n  - {id: a, hosts: [a.example], name: A"
	cfg, err := Parse([]byte(head+", retention: {audit_days: 3650}}"), t.TempDir(), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Retention{ReceiptsDays: 400, AnnouncementsDays: 400, AuditDays: 3650, DevicesIdleDays: 90, UsersIdleDays: 400}
	if got := cfg.Tenants[0].Retention; got != want {
		t.Errorf("retention = %+v, want %+v", got, want)
	}
	_, err = Parse([]byte(head+", retention: {receipts_days: -5, devices_idle_days: 99999}}"), t.TempDir(), env(nil))
	if err == nil {
		t.Fatal("negative and huge retention accepted")
	}
	for _, w := range []string{"tenants[0].retention.receipts_days: is -5: write a number of days between 1 and", "tenants[0].retention.devices_idle_days: is 99999"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in:\n%s", w, err)
		}
	}
}
