package tenant

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"unicode"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Icon is one PNG app icon, derived once at start.
type Icon struct {
	PNG  []byte
	Size int    // width = height in pixels
	Hash string // content hash, part of its URL
}

// Icons are the app icons of a tenant: from its configured theme.icon, or
// drawn from its colour and initial when it has none.
type Icons struct {
	Any192, Any512 Icon // manifest icons, purpose "any"
	Maskable512    Icon // manifest icon, purpose "maskable": content inside the safe zone
	Apple180       Icon // apple-touch-icon: opaque, the platform rounds the corners
	Favicon32      Icon
}

// ByHash finds an icon by the hash in its URL.
func (ic *Icons) ByHash(h string) (Icon, bool) {
	for _, i := range []Icon{ic.Any192, ic.Any512, ic.Maskable512, ic.Apple180, ic.Favicon32} {
		if i.Hash == h {
			return i, true
		}
	}
	return Icon{}, false
}

func newIcons(cfg *config.Config, t *config.Tenant) (Icons, error) {
	brand := colorOf(t.Theme.PrimaryColor)
	if t.Theme.Icon == "" {
		return drawnIcons(brand, initialOf(t))
	}
	// LoadIcon checks it: a square PNG of 512 to 4096 pixels per side.
	raw, err := LoadIcon(cfg.AssetPath(t.Theme.Icon))
	if err != nil {
		return Icons{}, fmt.Errorf("theme.icon: %w", err)
	}
	src, err := png.Decode(bytes.NewReader(raw.Data))
	if err != nil {
		return Icons{}, fmt.Errorf("theme.icon: %w", err)
	}
	// Scale a large icon once to 512; every size is derived from that.
	base := image.NewRGBA(image.Rect(0, 0, 512, 512))
	draw.CatmullRom.Scale(base, base.Bounds(), src, src.Bounds(), draw.Src, nil)
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	var ic Icons
	steps := []struct {
		dst     *Icon
		size    int
		scale   float64 // share of the canvas the image covers
		backing color.Color
	}{
		{&ic.Any192, 192, 1, nil},
		{&ic.Any512, 512, 1, nil},
		// The maskable safe zone is the centred circle of 80 % diameter.
		{&ic.Maskable512, 512, 0.8, white},
		{&ic.Apple180, 180, 1, white},
		{&ic.Favicon32, 32, 1, nil},
	}
	for _, s := range steps {
		dst := image.NewRGBA(image.Rect(0, 0, s.size, s.size))
		if s.backing != nil {
			draw.Draw(dst, dst.Bounds(), image.NewUniform(s.backing), image.Point{}, draw.Src)
		}
		inner := int(float64(s.size)*s.scale + 0.5)
		off := (s.size - inner) / 2
		draw.CatmullRom.Scale(dst, image.Rect(off, off, off+inner, off+inner), base, base.Bounds(), draw.Over, nil)
		if *s.dst, err = encodeIcon(dst); err != nil {
			return Icons{}, err
		}
	}
	return ic, nil
}

// drawnIcons paints the tenant's initial in the on-brand colour on its
// brand colour, with the Go Bold font that ships inside golang.org/x/image
// (no font file from elsewhere). Without a letter it draws a gate, Pforte's mark.
func drawnIcons(brand color.RGBA, initial rune) (Icons, error) {
	face, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return Icons{}, fmt.Errorf("theme.icon: font: %w", err)
	}
	fg := onColor(brand)
	var ic Icons
	steps := []struct {
		dst     *Icon
		size    int
		rounded bool
		scale   float64 // glyph height as a share of the canvas
	}{
		{&ic.Any192, 192, true, 0.56},
		{&ic.Any512, 512, true, 0.56},
		{&ic.Maskable512, 512, false, 0.42},
		{&ic.Apple180, 180, false, 0.52},
		{&ic.Favicon32, 32, true, 0.66},
	}
	for _, s := range steps {
		dst := image.NewRGBA(image.Rect(0, 0, s.size, s.size))
		fillBackground(dst, brand, s.rounded)
		if initial == 0 || !drawGlyph(dst, face, initial, s.scale, fg) {
			drawGate(dst, s.scale, fg, brand)
		}
		if *s.dst, err = encodeIcon(dst); err != nil {
			return Icons{}, err
		}
	}
	return ic, nil
}

// fillBackground paints the whole canvas, or a square with rounded corners
// (radius 18 %) for icons shown as they are.
func fillBackground(dst *image.RGBA, c color.RGBA, rounded bool) {
	draw.Draw(dst, dst.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	if !rounded {
		return
	}
	n := dst.Bounds().Dx()
	r := float64(n) * 0.18
	k := int(math.Ceil(r))
	// Only the four corner squares need work.
	for y := 0; y < k; y++ {
		for x := 0; x < k; x++ {
			a := cornerCoverage(float64(x)+0.5, float64(y)+0.5, float64(n), r)
			if a == 1 {
				continue
			}
			px := color.RGBA{scale8(c.R, a), scale8(c.G, a), scale8(c.B, a), scale8(0xff, a)}
			dst.SetRGBA(x, y, px)
			dst.SetRGBA(n-1-x, y, px)
			dst.SetRGBA(x, n-1-y, px)
			dst.SetRGBA(n-1-x, n-1-y, px)
		}
	}
}

// cornerCoverage is 1 inside the rounded square, 0 outside, and a linear
// ramp over one pixel on the curved edge (cheap anti-aliasing).
func cornerCoverage(x, y, n, r float64) float64 {
	if r == 0 {
		return 1
	}
	cx := min(max(x, r), n-r)
	cy := min(max(y, r), n-r)
	dx, dy := x-cx, y-cy
	d := dx*dx + dy*dy
	if d <= (r-0.5)*(r-0.5) {
		return 1
	}
	if d >= (r+0.5)*(r+0.5) {
		return 0
	}
	return r + 0.5 - math.Sqrt(d)
}

func scale8(c uint8, a float64) uint8 { return uint8(float64(c)*a + 0.5) }

// drawGlyph draws r centred, its cap height a share of the canvas; false
// when the font has no glyph for it.
func drawGlyph(dst *image.RGBA, f *opentype.Font, r rune, share float64, fg color.RGBA) bool {
	n := dst.Bounds().Dx()
	// Cap height of Go Bold is about 0.73 em.
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(n) * share / 0.73, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return false
	}
	defer face.Close()
	if _, ok := face.GlyphAdvance(r); !ok {
		return false
	}
	bounds, _ := font.BoundString(face, string(r))
	w := bounds.Max.X - bounds.Min.X
	h := bounds.Max.Y - bounds.Min.Y
	if w <= 0 || h <= 0 {
		return false
	}
	size := fixed.I(n)
	d := font.Drawer{Dst: dst, Src: image.NewUniform(fg), Face: face}
	d.Dot = fixed.Point26_6{X: (size-w)/2 - bounds.Min.X, Y: (size-h)/2 - bounds.Min.Y}
	d.DrawString(string(r))
	return true
}

// drawGate draws a simple door: a rectangle with an opening, centred.
func drawGate(dst *image.RGBA, share float64, fg, bg color.RGBA) {
	n := dst.Bounds().Dx()
	h := int(float64(n) * share)
	w := h * 3 / 4
	x0, y0 := (n-w)/2, (n-h)/2
	outer := image.Rect(x0, y0, x0+w, y0+h)
	draw.Draw(dst, outer, image.NewUniform(fg), image.Point{}, draw.Src)
	bar := max(1, w/6)
	inner := image.Rect(x0+bar, y0+bar, x0+w-bar, y0+h)
	draw.Draw(dst, inner, image.NewUniform(bg), image.Point{}, draw.Src)
}

func encodeIcon(img image.Image) (Icon, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return Icon{}, fmt.Errorf("theme.icon: encode: %w", err)
	}
	return Icon{PNG: buf.Bytes(), Size: img.Bounds().Dx(), Hash: shortHash(buf.Bytes())}, nil
}

// initialOf is the first letter of the tenant's short name (else its name),
// upper-cased; 0 when there is none.
func initialOf(t *config.Tenant) rune {
	name := t.ShortName
	if name == "" {
		name = t.Name
	}
	for _, r := range strings.TrimSpace(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToUpper(r)
		}
	}
	return 0
}

func colorOf(hex string) color.RGBA {
	r, g, b := parseHex(hex)
	return color.RGBA{r, g, b, 0xff}
}

// onColor is the theme's --on-brand for c (black or white, whichever
// contrasts more), so icons and header read the same.
func onColor(c color.RGBA) color.RGBA {
	if NewPalette(hexOf(c.R, c.G, c.B)).OnBrand == "#000000" {
		return color.RGBA{0, 0, 0, 0xff}
	}
	return color.RGBA{0xff, 0xff, 0xff, 0xff}
}
