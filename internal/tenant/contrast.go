package tenant

import (
	"fmt"
	"math"
)

// MinContrast is the WCAG 2.1 AA minimum for normal text (1.4.3), which
// BITV 2.0 makes a legal duty for public bodies.
const MinContrast = 4.5

// The backgrounds of Pforte's stylesheet (static/css/app.css, --bg and
// --surface in light and dark mode). A test keeps the two in step.
const (
	LightBG      = "#ffffff"
	LightSurface = "#f4f5f7"
	DarkBG       = "#121212"
	DarkSurface  = "#1e1f22"
)

// Palette is every colour Pforte derives from a tenant's primary colour.
// Whatever colour a city configures, each text/background pair the
// stylesheet builds from it reaches MinContrast: the brand itself stays the
// background of header and buttons (its text is black or white, whichever
// contrasts more), and links use the brand darkened (light mode) or
// lightened (dark mode) just as far as needed.
type Palette struct {
	Brand    string // --brand: the configured colour; header and button background
	OnBrand  string // --on-brand: text and focus ring on Brand
	Link     string // --brand-text: links and accents on the light backgrounds
	LinkDark string // --brand-dark-mode: links and accents on the dark backgrounds
}

// NewPalette derives the palette of primary (#rrggbb; anything else gives
// the default palette rather than a broken page).
func NewPalette(primary string) Palette {
	r, g, b := parseHex(primary)
	brand := hexOf(r, g, b)
	on := "#ffffff"
	if ratio(brand, "#000000") > ratio(brand, on) {
		on = "#000000"
	}
	return Palette{
		Brand:    brand,
		OnBrand:  on,
		Link:     shiftUntil(r, g, b, 0, LightBG, LightSurface),
		LinkDark: shiftUntil(r, g, b, 255, DarkBG, DarkSurface),
	}
}

// Pair is one foreground/background pair the stylesheet uses.
type Pair struct {
	Use    string // where a user sees it
	FG, BG string
	Ratio  float64
}

// OK reports whether the pair reaches MinContrast.
func (p Pair) OK() bool { return p.Ratio >= MinContrast }

// Pairs lists every text/background pair the stylesheet builds from the
// palette, in light and dark mode.
func (p Palette) Pairs() []Pair {
	pairs := []Pair{
		{Use: "header and button text on the brand colour (light and dark mode)", FG: p.OnBrand, BG: p.Brand},
		{Use: "links on the page background (light mode)", FG: p.Link, BG: LightBG},
		{Use: "links on tiles and notices (light mode)", FG: p.Link, BG: LightSurface},
		{Use: "links on the page background (dark mode)", FG: p.LinkDark, BG: DarkBG},
		{Use: "links on tiles and notices (dark mode)", FG: p.LinkDark, BG: DarkSurface},
	}
	for i := range pairs {
		pairs[i].Ratio = ratio(pairs[i].FG, pairs[i].BG)
	}
	return pairs
}

// ContrastReport is check-config's view of one tenant colour: the pairs
// Pforte will use and warnings where the colour as configured would fail.
type ContrastReport struct {
	Color    string
	Pairs    []Pair
	Warnings []string
}

// CheckContrast reports on primary. The warnings name what Pforte adjusts
// (the city may prefer to choose a colour that needs no adjustment, since
// its links then look different from its header) and any pair that still
// fails, which would be a bug in the palette.
func CheckContrast(primary string) ContrastReport {
	p := NewPalette(primary)
	rep := ContrastReport{Color: primary, Pairs: p.Pairs()}
	// Dark mode always uses a lighter shade by design; light mode is where a
	// city expects its own colour, so only there is an adjustment news.
	if raw := ratio(p.Brand, LightBG); raw < MinContrast {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s as link colour on white fails: %.2f:1, below %.1f:1; Pforte shows links in %s instead",
			primary, raw, MinContrast, p.Link))
	}
	for _, pr := range rep.Pairs {
		if !pr.OK() {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: %s on %s is only %.2f:1", pr.Use, pr.FG, pr.BG, pr.Ratio))
		}
	}
	return rep
}

// linkContrast is what derived link colours aim for: a little above
// MinContrast, so checkers that round differently agree too.
const linkContrast = 4.6

// shiftUntil mixes the colour towards target (0 = black, 255 = white) in
// small steps until it reaches linkContrast on every background.
func shiftUntil(r, g, b uint8, target float64, bgs ...string) string {
	for i := 0; i <= 100; i++ {
		f := float64(i) / 100
		mix := func(c uint8) uint8 { return uint8(math.Round(float64(c) + (target-float64(c))*f)) }
		c := hexOf(mix(r), mix(g), mix(b))
		ok := true
		for _, bg := range bgs {
			ok = ok && ratio(c, bg) >= linkContrast
		}
		if ok {
			return c
		}
	}
	return hexOf(uint8(target), uint8(target), uint8(target))
}

// ratio is the WCAG contrast ratio of two #rrggbb colours.
func ratio(a, b string) float64 {
	ar, ag, ab := parseHex(a)
	br, bg, bb := parseHex(b)
	return contrast(luminance(ar, ag, ab), luminance(br, bg, bb))
}

func hexOf(r, g, b uint8) string { return fmt.Sprintf("#%02x%02x%02x", r, g, b) }
