package announce

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// wideTable is the attack from issue 17: a 1,000-column header followed by
// short rows, 8,000 characters that rendered to 62 MB of HTML.
func wideTable() string {
	var b strings.Builder
	b.WriteString(strings.Repeat("|a", 1000) + "|\n")
	b.WriteString(strings.Repeat("|-", 1000) + "|\n")
	for b.Len() < 8000 {
		b.WriteString("|x\n")
	}
	return b.String()
}

// refAmplifier repeats a reference to a long URL: each 3-character use
// renders the whole URL again.
func refAmplifier() string {
	body := "[a]: https://example.org/" + strings.Repeat("x", 1900) + "\n\n"
	return body + strings.Repeat("[a]", (maxBody-len(body))/3)
}

func TestAmplifyingMarkdownRefusedAtWrite(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	cases := []struct{ name, body, want string }{
		{"1000-column table", wideTable(), "at most 20 columns (this one has 1000)"},
		{"too many cells", "|a|b|\n|-|-|\n" + strings.Repeat("|x|y|\n", 1200), "at most 2000 cells"},
		{"reference link repeated", refAmplifier(), "at most 256 KB"},
		{"deep quotes", strings.Repeat(">", 19000), "at most 16 quotes or lists"},
		{"deep lists", strings.Repeat("- ", 9000) + "x", "at most 16 quotes or lists"},
		{"deep quotes over lines", "> ok\n" + strings.Repeat(">", 17) + " x", "line 2 opens 17"},
	}
	for _, tc := range cases {
		for _, field := range []string{"body", "translations.en.body"} {
			in := Input{Title: ptr("Wartung"), Body: ptr("ok")}
			if field == "body" {
				in.Body = ptr(tc.body)
			} else {
				tr := Translations{"en": {Title: "Maintenance", Body: tc.body}}
				in.Translations = &tr
			}
			var a Announcement
			err := Apply(&a, in, true, now)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != field || !strings.Contains(fe.Reason, tc.want) {
				t.Errorf("%s in %s: got %v, want a 400 on %s saying %q", tc.name, field, err, field, tc.want)
			}
		}
	}
}

func TestOrdinaryTablesStillAccepted(t *testing.T) {
	body := "| Dienst | Status |\n| :-- | --: |\n" + strings.Repeat("| Mail | gestört |\n", 100) +
		"\n\n- [Status](https://status.example/)\n  - eins\n    1. zwei\n\n> Zitat\n> > im Zitat\n\n---\n\nText | mit Pipe"
	var a Announcement
	if err := Apply(&a, Input{Title: ptr("Wartung"), Body: ptr(body)}, true, time.Now()); err != nil {
		t.Fatalf("ordinary table refused: %v", err)
	}
	if out := string(NewRenderer().HTML(body)); !strings.Contains(out, "<td>gestört</td>") {
		t.Errorf("table not rendered: %.200q", out)
	}
}

// A body stored before the limits existed is shown escaped, bounded in
// size and memory, instead of being expanded.
func TestStoredAttackRendersBounded(t *testing.T) {
	r := NewRenderer()
	for _, body := range []string{wideTable(), refAmplifier(), strings.Repeat(">", 19000), strings.Repeat("- ", 9000)} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out := r.HTML(body)
		runtime.ReadMemStats(&after)
		if len(out) > MaxRenderedBytes*2 {
			t.Errorf("rendered %d bytes from %d, want at most %d", len(out), len(body), MaxRenderedBytes*2)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("rendering %.30q… allocated %d MB, want under 64 MB", body, alloc>>20)
		}
	}
}

// Every page, list and stream asks for the same body's HTML: one render.
func TestRendererRendersOncePerVersion(t *testing.T) {
	r := NewRenderer()
	for range 50 {
		_ = r.HTML("Wartung **heute**")
	}
	first := r.HTML("Wartung **heute**")
	_ = r.HTML("Wartung **morgen**")
	if got := r.Renders(); got != 2 {
		t.Errorf("50 requests for one body and one edit rendered %d times, want 2", got)
	}
	if !strings.Contains(string(first), "<strong>heute</strong>") {
		t.Errorf("cached HTML wrong: %q", first)
	}
}

func ptr(s string) *string { return &s }
