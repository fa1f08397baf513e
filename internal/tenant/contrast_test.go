package tenant

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Whatever colour a city configures, every text/background pair the
// stylesheet builds from it reaches 4.5:1, in light and dark mode. The
// grid walks the whole RGB cube in steps of 5 plus the colours closest to
// the black/white crossover, where a fixed text colour would fail.
func TestEveryBrandColourIsReadable(t *testing.T) {
	var colours []string
	for r := 0; r <= 255; r += 15 {
		for g := 0; g <= 255; g += 5 {
			for b := 0; b <= 255; b += 15 {
				colours = append(colours, hexOf(uint8(r), uint8(g), uint8(b)))
			}
		}
	}
	// Mid greys and mid colours around luminance 0.18, and what cities use.
	colours = append(colours, "#757575", "#767676", "#777777", "#808080", "#7a7a7a", "#e30613", "#ffcc00",
		"#00a1e0", "#009640", "#ff7f00", "#b3b3b3", "#ffffff", "#000000", "#121212", "#f4f5f7")
	for _, c := range colours {
		for _, p := range NewPalette(c).Pairs() {
			if !p.OK() {
				t.Fatalf("brand %s: %s: %s on %s is %.2f:1", c, p.Use, p.FG, p.BG, p.Ratio)
			}
		}
	}
}

// A colour that is readable as it is stays the city's colour; one that is
// not gets a warning that names the replacement, and the theme CSS carries it.
func TestContrastReportWarnsOnlyWhenTheColourFails(t *testing.T) {
	if rep := CheckContrast("#00508c"); len(rep.Warnings) != 0 {
		t.Errorf("#00508c (8.3:1 on white): warnings %v, want none", rep.Warnings)
	}
	p := NewPalette("#00508c")
	if p.Link != "#00508c" || p.OnBrand != "#ffffff" {
		t.Errorf("palette of #00508c = %+v: a readable colour must stay as it is", p)
	}
	rep := CheckContrast("#ffcc00")
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "link colour on white") {
		t.Fatalf("#ffcc00 (1.5:1 on white): warnings %v, want one about links on white", rep.Warnings)
	}
	yellow := NewPalette("#ffcc00")
	if !strings.Contains(rep.Warnings[0], yellow.Link) || yellow.OnBrand != "#000000" {
		t.Errorf("warning %q, palette %+v", rep.Warnings[0], yellow)
	}
	css := string(themeCSS("#ffcc00"))
	for _, want := range []string{"--brand:#ffcc00", "--on-brand:#000000", "--brand-text:" + yellow.Link, "--brand-dark-mode:" + yellow.LinkDark} {
		if !strings.Contains(css, want) {
			t.Errorf("theme CSS %q lacks %s", css, want)
		}
	}
	if p := NewPalette(""); p.Brand == "" {
		t.Errorf("empty colour gave an empty palette")
	}
}

// The backgrounds the pairs are computed against are the stylesheet's own,
// and the stylesheet takes its link colours from the derived properties.
func TestStylesheetUsesTheComputedColours(t *testing.T) {
	raw, err := os.ReadFile("../../static/css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(raw)
	dark := strings.Index(css, "@media (prefers-color-scheme: dark)")
	if dark < 0 {
		t.Fatal("app.css has no dark mode block")
	}
	decl := func(block, name string) string {
		m := regexp.MustCompile(`--` + name + `:\s*([^;]+);`).FindStringSubmatch(block)
		if m == nil {
			return ""
		}
		return strings.TrimSpace(m[1])
	}
	light, darkBlock := css[:dark], css[dark:]
	for _, c := range []struct{ block, name, want string }{
		{light, "bg", LightBG}, {light, "surface", LightSurface}, {light, "link", "var(--brand-text, #00508c)"},
		{darkBlock, "bg", DarkBG}, {darkBlock, "surface", DarkSurface}, {darkBlock, "link", "var(--brand-dark-mode, #7fb6e6)"},
	} {
		if got := decl(c.block, c.name); got != c.want {
			t.Errorf("app.css --%s = %q, want %q", c.name, got, c.want)
		}
	}
	// Text on the brand background is always --on-brand.
	for _, m := range regexp.MustCompile(`\{[^}]*background:\s*var\(--brand[,)][^}]*\}`).FindAllString(css, -1) {
		if !strings.Contains(m, "color: var(--on-brand") {
			t.Errorf("a rule with the brand as background sets no --on-brand text colour: %s", m)
		}
	}
}
