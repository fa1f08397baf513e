package config

import (
	"fmt"
	"time"
)

// Retention says how long a tenant keeps records about people before the
// background sweep deletes them (Art. 5(1)(e) DSGVO: no longer than
// needed). Each value is a number of days; 0 or absent takes the default.
type Retention struct {
	// ReceiptsDays: read and acknowledgement receipts, and push shown/opened
	// receipts, counted from when they were recorded.
	ReceiptsDays int `yaml:"receipts_days"`
	// AnnouncementsDays: withdrawn and expired announcements (with all their
	// receipts), counted from withdrawal or expiry.
	AnnouncementsDays int `yaml:"announcements_days"`
	// AuditDays: audit log entries.
	AuditDays int `yaml:"audit_days"`
	// DevicesIdleDays: push devices not seen for this long.
	DevicesIdleDays int `yaml:"devices_idle_days"`
	// UsersIdleDays: the sign-in profile (name, groups) of people not seen
	// for this long (they also stop counting as "targeted").
	UsersIdleDays int `yaml:"users_idle_days"`
}

// Retention defaults (days), documented in docs/config.md and docs/privacy.md.
const (
	DefaultReceiptsDays      = 400
	DefaultAnnouncementsDays = 400
	DefaultAuditDays         = 3 * 365
	DefaultDevicesIdleDays   = 90
	DefaultUsersIdleDays     = 400
	maxRetentionDays         = 10 * 366
)

func (r *Retention) applyDefaults() {
	for _, f := range []struct {
		v   *int
		def int
	}{{&r.ReceiptsDays, DefaultReceiptsDays}, {&r.AnnouncementsDays, DefaultAnnouncementsDays},
		{&r.AuditDays, DefaultAuditDays}, {&r.DevicesIdleDays, DefaultDevicesIdleDays}, {&r.UsersIdleDays, DefaultUsersIdleDays}} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
}

func (r Retention) validate(p string) Problems {
	var ps Problems
	for _, f := range []struct {
		name string
		v    int
	}{{"receipts_days", r.ReceiptsDays}, {"announcements_days", r.AnnouncementsDays},
		{"audit_days", r.AuditDays}, {"devices_idle_days", r.DevicesIdleDays}, {"users_idle_days", r.UsersIdleDays}} {
		if f.v < 1 || f.v > maxRetentionDays {
			ps.add(p+".retention."+f.name, fmt.Sprintf("is %d: write a number of days between 1 and %d (or leave it out for the default)", f.v, maxRetentionDays))
		}
	}
	return ps
}

// WithDefaults returns r with every unset period at its default, so a
// Retention built in code (not parsed) never means "delete everything".
func (r Retention) WithDefaults() Retention {
	r.applyDefaults()
	return r
}

// Days turns a number of days into a duration.
func Days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
