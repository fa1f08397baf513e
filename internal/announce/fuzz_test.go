package announce

import (
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzRenderer: whatever an author types, the rendered HTML carries no
// script element, no javascript: URL and no on*= event handler attribute.
func FuzzRenderer(f *testing.F) {
	for _, s := range []string{
		"# Titel\n\n**fett** und [Link](https://example.org)",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt&#58;alert(1))",
		"![x](x\" onerror=\"alert(1))",
		"<img src=x onerror=alert(1)>",
		"| a | b |\n|---|---|\n| <b onclick=x>1</b> | 2 |",
		"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
		"```html\n<script>x</script>\n```",
		"<https://example.org/?q=<script>>",
		"[x](https://example.org \"t onclick=1\")",
	} {
		f.Add(s)
	}
	r := NewRenderer()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.HTML(src))
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("rendered %q to %q: contains <script", src, out)
		}
		if bad := dangerousMarkup(out); bad != "" {
			t.Fatalf("rendered %q to %q: %s", src, out, bad)
		}
	})
}

// dangerousMarkup tokenizes out as a browser would and names the first
// event handler attribute or javascript: URL it finds, or returns "".
func dangerousMarkup(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() == io.EOF {
				return ""
			}
			return "does not tokenize: " + z.Err().Error()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				return "event handler " + a.Key + " on <" + tok.Data + ">"
			}
			// Browsers drop tabs, newlines and leading spaces in URLs.
			v := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") {
				return "script URL in " + a.Key + " on <" + tok.Data + ">"
			}
		}
	}
}
