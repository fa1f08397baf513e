package config

import (
	"fmt"
	"time"
)

func (t *Tenant) validatePush(p string) Problems {
	var ps Problems
	pp := t.Push
	if (pp.VAPIDPublicKey == "") != (pp.VAPIDPrivateKey == "") {
		ps.add(p+".push", "set both vapid_public_key and vapid_private_key, or neither (Pforte then generates a pair once and keeps it)")
	}
	if q := pp.QuietHours; q != nil {
		if _, err := ParseClock(q.Start); err != nil {
			ps.add(p+".push.quiet_hours.start", fmt.Sprintf("%q is not a time of day: write HH:MM, e.g. \"18:00\"", q.Start))
		}
		if _, err := ParseClock(q.End); err != nil {
			ps.add(p+".push.quiet_hours.end", fmt.Sprintf("%q is not a time of day: write HH:MM, e.g. \"07:00\"", q.End))
		}
	}
	return ps
}

// ParseClock parses "HH:MM" into the duration since midnight.
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("config: %q is not HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
