package i18n

import (
	"fmt"
	"strconv"
	"time"
)

var (
	monthsDELong = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
		"September", "Oktober", "November", "Dezember"}
	weekdaysDE = [...]string{"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"}
	monthsEN   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// Clock formats a time as HH:MM in the tenant's zone (24 h in both languages:
// what German and British staff read).
func Clock(loc *time.Location, t time.Time) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format("15:04")
}

// Day formats a date the way the language writes it: "Mo, 24.11." / "Mon 24 Nov".
func Day(lang string, loc *time.Location, t time.Time) string {
	if loc != nil {
		t = t.In(loc)
	}
	if lang == "en" {
		return fmt.Sprintf("%s %d %s", t.Weekday().String()[:3], t.Day(), monthsEN[t.Month()-1])
	}
	return fmt.Sprintf("%s, %02d.%02d.", weekdaysDE[t.Weekday()], t.Day(), int(t.Month()))
}

// ISOTime is the machine-readable form for <time datetime>.
func ISOTime(t time.Time) string { return t.Format(time.RFC3339) }

// ByteSize is a short human size: "840 B", "12 KB", "3,4 MB", with a
// no-break space so the unit never wraps alone.
func ByteSize(lang string, n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d\u00a0B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d\u00a0KB", (n+512)/1024)
	}
	s := fmt.Sprintf("%.1f\u00a0MB", float64(n)/(1024*1024))
	if lang == "de" {
		for i := range s {
			if s[i] == '.' {
				s = s[:i] + "," + s[i+1:]
				break
			}
		}
	}
	return s
}

// LongDate writes a date in full: "23. November 2026" / "23 November 2026".
func LongDate(lang string, d time.Time) string {
	if lang == "en" {
		return d.Format("2 January 2006")
	}
	return d.Format("2. ") + monthsDELong[d.Month()-1] + d.Format(" 2006")
}

// Digits writes n with thousands separators (4.812 / 4,812).
func Digits(lang string, n int) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	digits := strconv.Itoa(n)
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + sep + digits[i:]
	}
	return digits
}
