package files

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// rclone behind a Nextcloud-shaped URL refuses SEARCH. The first fetch
// learns that; the next ones (other users' cold dashboards) go straight to
// the walk and still find the same files.
func TestRefusedSearchIsNotRetriedOnEveryFetch(t *testing.T) {
	s := webdavServer(t)
	disk, url := s.sandbox(t, "alice")
	now := time.Now()
	writeFiles(t, disk, onDisk{"a.txt", 10, now.Add(-time.Hour)}, onDisk{"Projekt/b.txt", 10, now})
	rec := &recorder{}
	c, err := New(Options{URL: url, HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	cred := upstream.Credential{Username: "alice", Password: s.Passwords["alice"]}
	searches := func(reqs []string) int {
		n := 0
		for _, r := range reqs {
			if strings.HasPrefix(r, "SEARCH ") {
				n++
			}
		}
		return n
	}
	first, err := c.Fetch(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	if n := searches(rec.requests()); n != 1 {
		t.Fatalf("first fetch sent %d SEARCH, want 1 (the URL looks like Nextcloud's): %q", n, rec.requests())
	}
	before := len(rec.requests())
	second, err := c.Fetch(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	if reqs := rec.requests()[before:]; searches(reqs) != 0 || len(reqs) != before-1 {
		t.Errorf("second fetch sent %q, want the walk alone (%d PROPFINDs)", reqs, before-1)
	}
	if !reflect.DeepEqual(paths(first), paths(second)) || len(first) != 2 {
		t.Errorf("files %q then %q, want both files both times", paths(first), paths(second))
	}
}
