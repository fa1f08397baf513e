package announce

import (
	"strings"
	"testing"
)

// Whatever an author (or a compromised monitoring token) writes, the body
// employees see carries no script: no script elements, no event handlers,
// no javascript: links, no iframes — while ordinary Markdown still works.
func TestMarkdownPayloadsRenderInert(t *testing.T) {
	r := NewRenderer()
	payloads := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror="alert(1)">`,
		`<a href="javascript:alert(1)">klick</a>`,
		`[klick](javascript:alert(1))`,
		`[klick](JaVaScRiPt:alert(1))`,
		"[klick](java\tscript:alert(1))",
		`<iframe src="https://evil.example/"></iframe>`,
		`<svg onload=alert(1)>`,
		`<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>`,
		`![x](javascript:alert(1))`,
		`<object data="x.swf"></object><embed src="x">`,
		`<form action="https://evil.example"><input name=pw></form>`,
		"<a href=\"&#106;avascript:alert(1)\">x</a>",
		`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	}
	for _, p := range payloads {
		out := strings.ToLower(string(r.HTML("Wartung **heute**\n\n" + p)))
		for _, bad := range []string{"<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<object", "<embed", "<form", "<input", "style=", "data:text/html", "<svg"} {
			if strings.Contains(out, bad) {
				t.Errorf("payload %q renders %q, containing %q", p, out, bad)
			}
		}
		if !strings.Contains(out, "<strong>heute</strong>") {
			t.Errorf("payload %q: ordinary Markdown around it lost: %q", p, out)
		}
	}
}

// Links to the outside open safely; lists, headings and code still render.
func TestMarkdownOrdinaryFormatting(t *testing.T) {
	r := NewRenderer()
	out := string(r.HTML("# Wartung\n\n- Mail\n- Kalender\n\n`code` und [Status](https://status.example/)"))
	for _, want := range []string{"<h1", "<li>Mail</li>", "<code>code</code>", `href="https://status.example/"`, `rel="nofollow noreferrer noopener"`} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered %q, want it to contain %q", out, want)
		}
	}
}
