package files

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// parseFile parses a testdata file and returns its entries.
func parseFile(t *testing.T, name string) []entry {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []entry
	if err := parseMultistatus(f, maxBody, func(e entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return got
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseServerShapes(t *testing.T) {
	tests := []struct {
		file string
		want []entry
	}{{
		// Apache: lp1 prefix, 404 propstat merged away, a response with
		// only a 404 status dropped.
		file: "apache-propfind.xml",
		want: []entry{
			{Href: "/dav/alice/", Collection: true, Modified: date("2026-11-16T08:00:00Z")},
			{Href: "/dav/alice/Sitzung%20am%2012.%20M%c3%a4rz.odt", Modified: date("2026-11-17T10:30:00Z"),
				Size: 20480, ContentType: "application/vnd.oasis.opendocument.text"},
			{Href: "/dav/alice/Protokolle/", Collection: true, Modified: date("2026-11-18T07:45:00Z")},
		},
	}, {
		// Default namespace, no status line, RFC 3339 date, padded number.
		file: "default-namespace.xml",
		want: []entry{
			{Href: "http://backend.internal:8080/dav/alice/", Collection: true},
			{Href: "http://backend.internal:8080/dav/alice/Haushalt%202026/%c3%9cbersicht%20Haushalt%202026.xlsx",
				Modified: date("2026-11-20T13:05:00Z"), Size: 4096,
				ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		},
	}, {
		file: "nextcloud-propfind-documents.xml",
		want: []entry{
			{Href: "/remote.php/dav/files/alice/Documents/", Collection: true, Modified: date("2026-11-23T09:12:44Z"), FileID: "4601"},
			{Href: "/remote.php/dav/files/alice/Documents/%C3%9Cbersicht%20Haushalt%202026.xlsx",
				Modified: date("2026-11-23T09:12:44Z"), Size: 18344, FileID: "4711",
				ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if got := parseFile(t, tt.file); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entries:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRejectsWhatIsNotAMultistatus(t *testing.T) {
	tests := map[string]string{
		"empty":       "",
		"html":        "<html><body>Login</body></html>",
		"truncated":   `<d:multistatus xmlns:d="DAV:"><d:response><d:href>/a</d:href>`,
		"bad entity":  `<d:multistatus xmlns:d="DAV:"><d:response><d:href>&nbsp;</d:href></d:response></d:multistatus>`,
		"mismatched":  `<d:multistatus xmlns:d="DAV:"><d:response></d:multistatus>`,
		"plain text":  "Service Unavailable",
		"json":        `{"error":"maintenance"}`,
		"unclosed ms": `<multistatus xmlns="DAV:">`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			err := parseMultistatus(strings.NewReader(body), maxBody, func(entry) error { return nil })
			if err == nil {
				t.Fatal("parsed without error")
			}
		})
	}
}

func TestParseStopsAtTheSizeLimit(t *testing.T) {
	one := `<d:response><d:href>/f</d:href><d:propstat><d:prop><d:getcontentlength>1</d:getcontentlength></d:prop></d:propstat></d:response>`
	body := `<d:multistatus xmlns:d="DAV:">` + strings.Repeat(one, 1000) + `</d:multistatus>`
	n := 0
	err := parseMultistatus(strings.NewReader(body), int64(len(body)-1), func(entry) error { n++; return nil })
	if !errors.Is(err, errTooLarge) {
		t.Fatalf("err = %v, want errTooLarge", err)
	}
	// Exactly at the limit is fine.
	n = 0
	if err := parseMultistatus(strings.NewReader(body), int64(len(body)), func(entry) error { n++; return nil }); err != nil || n != 1000 {
		t.Fatalf("at the limit: %d entries, err %v; want 1000, nil", n, err)
	}
}

// A file without getlastmodified sorts after every dated one, whatever
// order the server lists them in.
func TestUndatedFilesSortLast(t *testing.T) {
	b := newest{n: 3}
	for _, f := range []File{{Path: "ohne-datum.odt"}, {Path: "alt.odt", Modified: date("2020-01-01T00:00:00Z")},
		{Path: "neu.odt", Modified: date("2026-11-23T08:00:00Z")}} {
		b.add(f)
	}
	var got []string
	for _, f := range b.files {
		got = append(got, f.Path)
	}
	if strings.Join(got, ",") != "neu.odt,alt.odt,ohne-datum.odt" {
		t.Errorf("order %v, want the undated file last", got)
	}
}
