package tenant

import (
	"fmt"
	"math"
	"strconv"
)

// themeCSS renders the tenant colour as CSS custom properties: the brand
// and the colours derived from it (contrast.go), so any city colour stays
// readable in light and dark mode.
func themeCSS(primary string) []byte {
	p := NewPalette(primary)
	return fmt.Appendf(nil, ":root{--brand:%s;--on-brand:%s;--brand-text:%s;--brand-dark-mode:%s}\n",
		p.Brand, p.OnBrand, p.Link, p.LinkDark)
}

func parseHex(s string) (r, g, b uint8) {
	if len(s) != 7 || s[0] != '#' {
		return 0, 0x50, 0x8c
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return 0, 0x50, 0x8c
	}
	return uint8(v >> 16), uint8(v >> 8), uint8(v) // #nosec G115 -- takes each byte of #rrggbb on purpose
}

// Luminance is the WCAG 2.1 relative luminance of an sRGB colour.
func luminance(r, g, b uint8) float64 {
	ch := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(l1, l2 float64) float64 {
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}
