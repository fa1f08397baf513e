package tenant

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%max(h, 1), color.RGBA{0, 0x5a, 0x9c, 0xff})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const plainSVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40" fill="#005a9c"/><text x="4" y="28">München</text></svg>`

func TestBrandImagesAreCheckedByContent(t *testing.T) {
	big := pngOf(t, 600, 600)
	cases := []struct {
		name string
		data []byte
		icon bool
		want string // "" = accepted; else part of the error
		typ  string
	}{
		{"svg logo", []byte(plainSVG), false, "", "image/svg+xml"},
		{"png logo of any shape", pngOf(t, 300, 80), false, "", "image/png"},
		{"square png icon of 512", pngOf(t, 512, 512), true, "", "image/png"},
		{"icon too small", pngOf(t, 256, 256), true, "is 256x256 pixels: the app icon must be square and at least 512x512", ""},
		{"icon not square", pngOf(t, 800, 600), true, "is 800x600 pixels", ""},
		{"svg icon", []byte(plainSVG), true, "is an SVG: the app icon must be a square PNG", ""},
		{"jpeg named .png", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), true, "is not a PNG image (whatever its name says)", ""},
		{"html named .svg", []byte("<html><body>logo</body></html>"), false, "is not an SVG image: its root element is <html>", ""},
		{"gif named .svg", []byte("GIF89a\x01\x00\x01\x00"), false, "is not a PNG or SVG image", ""},
		{"svg after a long doctype", []byte("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<!--" + strings.Repeat(" exported ", 200) + "-->\n" + plainSVG[strings.Index(plainSVG, "<svg"):]), false, "", "image/svg+xml"},
		{"truncated png", big[:len(big)/2], true, "is a broken PNG", ""},
		{"png bomb dimensions", pngOf(t, 5000, 1), false, "keep each side at most 4096", ""},
		{"svg with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), false, "contains <script>", ""},
		{"svg with handler", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>`), false, "has an event handler (onload on <svg>)", ""},
		{"svg with javascript link", []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href=" JavaScript:alert(1)"><rect/></a></svg>`), false, "links to javascript:", ""},
		{"svg with foreignObject", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>`), false, "contains <foreignObject>", ""},
		{"svg not well-formed", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`), false, "is not well-formed SVG", ""},
		{"svg mention inside other xml", []byte(`<html><!-- <svg --></html>`), false, "root element is <html>", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := checkImage(c.data, c.icon)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if img.Type != c.typ || img.Hash == "" || !bytes.Equal(img.Data, c.data) {
					t.Errorf("got type %q hash %q, want %q and a hash", img.Type, img.Hash, c.typ)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to say %q", err, c.want)
			}
		})
	}
}

func TestLoadLogoRefusesFilesOverTheLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "logo.svg")
	huge := plainSVG + "<!--" + strings.Repeat("x", config.MaxAssetSize) + "-->"
	if err := os.WriteFile(p, []byte(huge), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLogo(p); err == nil || !strings.Contains(err.Error(), "larger than 1024 KB") {
		t.Errorf("LoadLogo of a %d byte file: err = %v, want a size error", len(huge), err)
	}
}

// check-config names the config path of every bad asset once, and says
// nothing about assets the config check already reported.
func TestCheckAssetsReportsConfigPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.svg", []byte(plainSVG))
	write("good-icon.png", pngOf(t, 512, 512))
	write("small-icon.png", pngOf(t, 192, 192))
	write("fake.svg", []byte("GIF89a not an svg"))
	cfg := &config.Config{BaseDir: dir, Tenants: []config.Tenant{
		{ID: "a", Theme: config.Theme{Logo: "good.svg", Icon: "good-icon.png"}},
		{ID: "b", Theme: config.Theme{Logo: "fake.svg", Icon: "small-icon.png"}},
		{ID: "c", Theme: config.Theme{Logo: "missing.svg"}},
	}}
	known := config.Problems{{Path: "tenants[2].theme.logo", Message: `"missing.svg" not found`}}
	ps := CheckAssets(cfg, known)
	got := map[string]string{}
	for _, p := range ps {
		got[p.Path] = p.Message
	}
	if len(ps) != 2 {
		t.Errorf("got %d problems, want 2: %v", len(ps), ps)
	}
	if m := got["tenants[1].theme.logo"]; !strings.Contains(m, `"fake.svg" is not a PNG or SVG image`) {
		t.Errorf("tenants[1].theme.logo: %q", m)
	}
	if m := got["tenants[1].theme.icon"]; !strings.Contains(m, `"small-icon.png" is 192x192 pixels`) {
		t.Errorf("tenants[1].theme.icon: %q", m)
	}
}
