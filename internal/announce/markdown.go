package announce

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer turns author Markdown into HTML that is safe to embed: goldmark
// drops raw HTML, and bluemonday's UGC policy removes whatever remains
// dangerous (scripts, event handlers, javascript: URLs, iframes, styles).
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewRenderer builds the Markdown renderer once; it is safe for concurrent use.
func NewRenderer() *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	return &Renderer{md: goldmark.New(goldmark.WithExtensions(extension.GFM)), policy: p}
}

// HTML renders src; the result is sanitized, so templates may embed it as is.
func (r *Renderer) HTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only on writer errors; show the text escaped.
		return template.HTML(template.HTMLEscapeString(src)) // #nosec G203 -- escaped just now
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes())) // #nosec G203 -- sanitized by bluemonday just now
}
