package files

import (
	"context"
	"fmt"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// BenchmarkFetch walks a realistic department share on the rclone server:
// 3 levels, 21 folders, 160 files, default bounds.
func BenchmarkFetch(b *testing.B) {
	s := webdavServer(b)
	disk, url := s.sandbox(b, "bob")
	var files []onDisk
	for i := range 4 {
		for j := range 4 {
			for k := range 10 {
				files = append(files, onDisk{fmt.Sprintf("Fachbereich %d/Vorgang %d/Dokument %d.pdf", i, j, k), 100 * k, hours(i*100 + j*10 + k)})
			}
		}
	}
	writeFiles(b, disk, files...)
	c, err := New(Options{URL: url})
	if err != nil {
		b.Fatal(err)
	}
	cred := upstream.Credential{Username: "bob", Password: s.Passwords["bob"]}
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.Fetch(context.Background(), cred)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != DefaultLimit || got[0].Path != "Fachbereich 3/Vorgang 3/Dokument 9.pdf" {
			b.Fatalf("newest %+v", got[0])
		}
	}
}
