package announce

import (
	"crypto/sha256"
	"html/template"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// renderedCacheBytes bounds the memory the rendered-HTML cache may hold.
const renderedCacheBytes = 16 << 20

// Renderer turns author Markdown into HTML that is safe to embed: goldmark
// drops raw HTML, and bluemonday's UGC policy removes whatever remains
// dangerous (scripts, event handlers, javascript: URLs, iframes, styles).
// Each distinct body is rendered once and its sanitized HTML kept (by the
// body's hash, up to 16 MB), so pages, lists, streams and the dashboard of
// every targeted user share one render per announcement version.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy

	mu      sync.Mutex
	cache   *lru.LRU[[sha256.Size]byte, template.HTML]
	bytes   int
	renders atomic.Int64
}

// NewRenderer builds the Markdown renderer once; it is safe for concurrent use.
func NewRenderer() *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	r := &Renderer{md: goldmark.New(goldmark.WithExtensions(extension.GFM)), policy: p}
	r.cache, _ = lru.NewLRU[[sha256.Size]byte, template.HTML](1<<16, func(_ [sha256.Size]byte, v template.HTML) {
		r.bytes -= len(v)
	})
	return r
}

// HTML renders src; the result is sanitized, so templates may embed it as is.
func (r *Renderer) HTML(src string) template.HTML {
	key := sha256.Sum256([]byte(src))
	r.mu.Lock()
	if h, ok := r.cache.Get(key); ok {
		r.mu.Unlock()
		return h
	}
	r.mu.Unlock()
	h := r.render(src)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.cache.Contains(key) {
		r.cache.Add(key, h)
		r.bytes += len(h)
		for r.bytes > renderedCacheBytes && r.cache.Len() > 1 {
			r.cache.RemoveOldest()
		}
	}
	return h
}

// Renders counts the Markdown conversions so far (the rest came from the
// cache).
func (r *Renderer) Renders() int64 { return r.renders.Load() }

// render converts src within the limits. A body over them (stored before
// the limits existed) is shown as escaped plain text, never expanded.
func (r *Renderer) render(src string) template.HTML {
	r.renders.Add(1)
	if checkTables("body", src) != nil {
		return plainText(src)
	}
	w := &limitWriter{max: MaxRenderedBytes, keep: true}
	if err := r.md.Convert([]byte(src), w); err != nil {
		// Over the size cap, or a writer error: show the text escaped.
		return plainText(src)
	}
	return template.HTML(r.policy.SanitizeBytes(w.buf)) // #nosec G203 -- sanitized by bluemonday just now
}

// plainText is src escaped, in one paragraph that keeps its line breaks.
func plainText(src string) template.HTML {
	return template.HTML(`<p>` + template.HTMLEscapeString(src) + `</p>`) // #nosec G203 -- escaped just now
}
