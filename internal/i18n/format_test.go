package i18n

import (
	"testing"
	"time"
)

// Dates, sizes and counts read the way each language writes them.
func TestFormat(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	at := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC) // Tuesday 00:30 in Berlin
	cases := []struct{ got, want string }{
		{Day("de", berlin, at), "Di, 24.11."},
		{Day("en", berlin, at), "Tue 24 Nov"},
		{Clock(berlin, at), "00:30"},
		{LongDate("de", at), "23. November 2026"},
		{LongDate("en", at), "23 November 2026"},
		{Digits("de", 4812), "4.812"},
		{Digits("en", 1234567), "1,234,567"},
		{Digits("de", 999), "999"},
		{ByteSize("de", 3565158), "3,4\u00a0MB"},
		{ByteSize("en", 12*1024), "12\u00a0KB"},
		{ByteSize("en", 840), "840\u00a0B"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
