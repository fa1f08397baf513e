// Package assets prepares static/ once at start: each file hashed (for
// /static/<hash>/<name> URLs that browsers may cache for a year; a new build
// gets new URLs) and gzipped when that makes it smaller. The web package
// serves them.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Asset is one static file, hashed and gzipped once at start.
type Asset struct {
	Body, Gzip []byte // Gzip is nil when compressing does not pay
	Hash, Type string // Type is the Content-Type
}

// Set is every file under static/ by its name below static/.
type Set struct {
	byName map[string]*Asset
}

// Load reads, hashes and compresses every file under static/ in files.
func Load(files fs.FS) (*Set, error) {
	a := &Set{byName: map[string]*Asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		as := &Asset{Body: body, Hash: hex.EncodeToString(sum[:6]), Type: ct}
		if compressible(ct) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(body)
			_ = zw.Close()
			if buf.Len() < len(body) {
				as.Gzip = buf.Bytes()
			}
		}
		a.byName[name] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: static files: %w", err)
	}
	return a, nil
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") ||
		strings.Contains(ct, "json") || strings.Contains(ct, "svg")
}

// URL is the hashed URL of a static file; templates call it as {{asset "css/app.css"}}.
func (a *Set) URL(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("assets: no static file %q", name)
	}
	return "/static/" + as.Hash + "/" + name, nil
}

// Get is the file of name, when it exists.
func (a *Set) Get(name string) (*Asset, bool) {
	as, ok := a.byName[name]
	return as, ok
}

// URLs are the hashed URLs of every file (in no particular order).
func (a *Set) URLs() []string {
	out := make([]string, 0, len(a.byName))
	for name, as := range a.byName {
		out = append(out, "/static/"+as.Hash+"/"+name)
	}
	return out
}
