package config

import (
	"errors"
	"strings"
	"testing"
)

// Meeting reminders are on by default where a tenant has a calendar; a
// tenant switches them off with reminders: {enabled: false}; a misspelt
// key is reported with its path instead of being ignored.
func TestRemindersSwitch(t *testing.T) {
	vars := env(map[string]string{"SECRET": testKey, "OIDC_SECRET": "abc"})
	cfg, err := Parse([]byte(validYAML), t.TempDir(), vars)
	if err != nil || !cfg.Tenants[0].RemindersOn() {
		t.Fatalf("default: on = %v (%v), want on", err == nil && cfg.Tenants[0].RemindersOn(), err)
	}
	off := strings.Replace(validYAML, "    apps:", "    reminders: {enabled: false}\n    apps:", 1)
	if cfg, err = Parse([]byte(off), t.TempDir(), vars); err != nil || cfg.Tenants[0].RemindersOn() {
		t.Fatalf("reminders: {enabled: false}: err %v, want off", err)
	}
	noCal := strings.Replace(validYAML, "    calendar: {url: \"https://dav.muenchen.example/caldav/{user}/\", auth: bearer}\n", "", 1)
	if cfg, err = Parse([]byte(noCal), t.TempDir(), vars); err != nil || cfg.Tenants[0].RemindersOn() {
		t.Fatalf("no calendar: err %v, want reminders off", err)
	}
	typo := strings.Replace(validYAML, "    apps:", "    reminders: {enable: false}\n    apps:", 1)
	_, err = Parse([]byte(typo), t.TempDir(), vars)
	var ps Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "reminders.enable") {
		t.Fatalf("misspelt key: %v, want a problem naming tenants[0].reminders.enable", err)
	}
}
