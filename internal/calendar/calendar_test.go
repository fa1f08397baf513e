package calendar

import "testing"

func TestNewChecksOptions(t *testing.T) {
	for _, opts := range []Options{
		{},
		{URL: "ftp://kalender.stadt.de/"},
		{URL: "/relative/"},
		{URL: "https://kalender.stadt.de/", Days: -1},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("New(%+v) accepted a configuration that cannot work", opts)
		}
	}
	c, err := New(Options{WebURL: "https://cloud.stadt.de/apps/calendar/{uid}"})
	if err != nil {
		t.Fatal(err)
	}
	if c.opts.URL != "https://cloud.stadt.de/" || c.opts.Days != 7 {
		t.Errorf("without URL the web calendar's server is searched for a week: %q, %d days", c.opts.URL, c.opts.Days)
	}
}
