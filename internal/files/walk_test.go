package files

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

var base = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

func hours(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }

func TestFetchRecentFiles(t *testing.T) {
	for _, s := range davServers(t) {
		t.Run(s.Name, func(t *testing.T) { testFetchRecentFiles(t, s) })
	}
}

func testFetchRecentFiles(t *testing.T, s davServer) {
	disk, url := s.sandbox(t, "alice")
	writeFiles(t, disk,
		onDisk{"Übersicht Haushalt 2026.xlsx", 1834, hours(10)},
		onDisk{"Projekte/Bau 2026/Plan #1 (50%).pdf", 4000, hours(9)},
		onDisk{"C++ Notizen+.txt", 12, hours(8)},
		onDisk{"<img src=x onerror=alert(1)>.html", 30, hours(7)},
		onDisk{"Projekte/Sitzung am 12. März.odt", 2048, hours(6)},
		onDisk{"Archiv/2025/Q4/Bericht.docx", 100, hours(5)},
		onDisk{"a/b/c/d/e/f/flach genug.txt", 7, hours(4)}, // folder level 6: listed
		onDisk{"a/b/c/d/e/f/g/zu tief.txt", 7, hours(20)},  // level 7: beyond MaxDepth
		onDisk{"alt 1.txt", 1, hours(1)},
		onDisk{"alt 2.txt", 2, hours(2)},
		onDisk{"alt 3.txt", 3, hours(3)},
		onDisk{".geheim.txt", 1, hours(30)},
		onDisk{".git/HEAD", 1, hours(31)},
		onDisk{"Projekte/.~lock.Plan.odt#", 1, hours(32)},
		onDisk{"leer/.keep", 0, hours(33)},
	)
	c, err := New(Options{URL: url, WebURL: "https://files.example/open?dir={dir}&file={path}"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Fetch(context.Background(), upstream.Credential{Username: "alice", Password: s.Passwords["alice"]})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{Name: "Übersicht Haushalt 2026.xlsx", Path: "Übersicht Haushalt 2026.xlsx", Size: 1834, Modified: hours(10),
			URL: "https://files.example/open?dir=/&file=/%C3%9Cbersicht%20Haushalt%202026.xlsx"},
		{Name: "Plan #1 (50%).pdf", Path: "Projekte/Bau 2026/Plan #1 (50%).pdf", Size: 4000, Modified: hours(9),
			URL: "https://files.example/open?dir=/Projekte/Bau%202026&file=/Projekte/Bau%202026/Plan%20%231%20%2850%25%29.pdf"},
		{Name: "C++ Notizen+.txt", Path: "C++ Notizen+.txt", Size: 12, Modified: hours(8),
			URL: "https://files.example/open?dir=/&file=/C%2B%2B%20Notizen%2B.txt"},
		{Name: "<img src=x onerror=alert(1)>.html", Path: "<img src=x onerror=alert(1)>.html", Size: 30, Modified: hours(7),
			URL: "https://files.example/open?dir=/&file=/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html"},
		{Name: "Sitzung am 12. März.odt", Path: "Projekte/Sitzung am 12. März.odt", Size: 2048, Modified: hours(6),
			URL: "https://files.example/open?dir=/Projekte&file=/Projekte/Sitzung%20am%2012.%20M%C3%A4rz.odt"},
		{Name: "Bericht.docx", Path: "Archiv/2025/Q4/Bericht.docx", Size: 100, Modified: hours(5),
			URL: "https://files.example/open?dir=/Archiv/2025/Q4&file=/Archiv/2025/Q4/Bericht.docx"},
		{Name: "flach genug.txt", Path: "a/b/c/d/e/f/flach genug.txt", Size: 7, Modified: hours(4),
			URL: "https://files.example/open?dir=/a/b/c/d/e/f&file=/a/b/c/d/e/f/flach%20genug.txt"},
		{Name: "alt 3.txt", Path: "alt 3.txt", Size: 3, Modified: hours(3),
			URL: "https://files.example/open?dir=/&file=/alt%203.txt"},
	}
	types := map[string]string{}
	for i := range got {
		types[got[i].Name] = got[i].ContentType
		got[i].ContentType = "" // rclone and Apache derive it from the machine's mime.types
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files:\n got %+v\nwant %+v", got, want)
	}
	if types["Plan #1 (50%).pdf"] != "application/pdf" || !strings.HasPrefix(types["C++ Notizen+.txt"], "text/plain") {
		t.Errorf("content types %q", types)
	}
}

func TestFetchUsesTheCredentialsUserFolder(t *testing.T) {
	for _, s := range davServers(t) {
		t.Run(s.Name, func(t *testing.T) {
			disk, _ := s.sandbox(t, "carol")
			writeFiles(t, disk, onDisk{"Dienstplan Dezember.pdf", 321, hours(1)})
			urls := []string{s.URL}
			if s.Name == "apache" {
				// A moved address (Redirect 301 /old-dav /dav) is followed as PROPFIND.
				urls = append(urls, strings.Replace(s.URL, "/dav/", "/old-dav/", 1))
			}
			for _, u := range urls {
				c, err := New(Options{URL: u})
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.Fetch(context.Background(), upstream.Credential{Username: "carol", Password: s.Passwords["carol"]})
				if err != nil {
					t.Fatalf("%s: %v", u, err)
				}
				want := path.Base(disk) + "/Dienstplan Dezember.pdf"
				if len(got) != 1 || got[0].Path != want || got[0].Size != 321 {
					t.Fatalf("%s: carol's files %+v, want only %q", u, got, want)
				}
			}
		})
	}
}

// folderTree writes n folders with one file each, the later ones newer,
// plus an old file in the root.
func folderTree(t *testing.T, disk string, n int) {
	writeFiles(t, disk, onDisk{"start.txt", 1, hours(0)})
	for i := range n {
		writeFiles(t, disk, onDisk{fmt.Sprintf("ordner %02d/datei %02d.txt", i, i), i + 1, hours(i + 1)})
	}
}

// listedFiles returns what a walk that listed the recorded folders should
// have found in folderTree, newest first.
func listedFiles(reqs []string) []string {
	want := []string{}
	for _, r := range reqs {
		if !strings.HasPrefix(r, "PROPFIND ") {
			continue
		}
		dir := strings.TrimSuffix(r[strings.LastIndex(r, "/ordner ")+1:], "/")
		if strings.HasPrefix(dir, "ordner ") {
			want = append(want, dir+"/datei "+strings.TrimPrefix(dir, "ordner ")+".txt")
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(want)))
	return append(want, "start.txt")
}

func paths(files []File) []string {
	p := []string{}
	for _, f := range files {
		p = append(p, f.Path)
	}
	return p
}

func TestFetchStopsAtMaxFolders(t *testing.T) {
	s := webdavServer(t)
	disk, url := s.sandbox(t, "alice")
	folderTree(t, disk, 30)
	rec := &recorder{}
	c, err := New(Options{URL: url, MaxFolders: 5, HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Fetch(context.Background(), upstream.Credential{Username: "alice", Password: s.Passwords["alice"]})
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	propfinds := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, "PROPFIND ") {
			propfinds++
		}
	}
	if propfinds != 5 {
		t.Errorf("listed %d folders, want MaxFolders = 5: %q", propfinds, reqs)
	}
	if want := listedFiles(reqs); !reflect.DeepEqual(paths(got), want) || len(want) != 5 {
		t.Errorf("files %q, want the newest of the folders it listed %q", paths(got), want)
	}
}

func TestFetchStopsAtMaxRequests(t *testing.T) {
	s := webdavServer(t)
	disk, url := s.sandbox(t, "alice")
	folderTree(t, disk, 10)
	rec := &recorder{}
	c, err := New(Options{URL: url, MaxRequests: 3, HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Fetch(context.Background(), upstream.Credential{Username: "alice", Password: s.Passwords["alice"]})
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	// The URL looks like Nextcloud's, so the first request is a SEARCH that
	// rclone answers with 404; then the root and one folder.
	if len(reqs) != 3 || !strings.HasPrefix(reqs[0], "SEARCH ") {
		t.Fatalf("requests %q, want SEARCH then 2 PROPFIND", reqs)
	}
	if want := listedFiles(reqs); !reflect.DeepEqual(paths(got), want) || len(want) != 2 {
		t.Errorf("files %q, want %q", paths(got), want)
	}
}
