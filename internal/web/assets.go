package web

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

	"github.com/gofiber/fiber/v2"
)

// asset is one static file, hashed and gzipped once at start.
type asset struct {
	body, gz    []byte
	hash, ctype string
}

// assets serves static/ under content-hashed URLs (/static/<hash>/<name>)
// so browsers may cache them for a year; a new build gets new URLs.
type assets struct {
	byName map[string]*asset
}

func newAssets(files fs.FS) (*assets, error) {
	a := &assets{byName: map[string]*asset{}}
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
		as := &asset{body: body, hash: hex.EncodeToString(sum[:6]), ctype: ct}
		if compressible(ct) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(body)
			_ = zw.Close()
			if buf.Len() < len(body) {
				as.gz = buf.Bytes()
			}
		}
		a.byName[name] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return a, nil
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") ||
		strings.Contains(ct, "json") || strings.Contains(ct, "svg")
}

// URL is the hashed URL of a static file; templates call it as {{asset "css/app.css"}}.
func (a *assets) URL(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + as.hash + "/" + name, nil
}

// handleStatic serves a hashed static file. A stale hash is a 404, never the
// new content under an old immutable URL.
func (s *Server) handleStatic(c *fiber.Ctx) error {
	as, ok := s.assets.byName[c.Params("*")]
	if !ok || as.hash != c.Params("hash") {
		return fiber.ErrNotFound
	}
	etag := `"` + as.hash + `"`
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, as.ctype)
	if as.gz != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(as.gz)
	}
	return c.Send(as.body)
}
