package tenant

import (
	"fmt"
	"math"
	"strconv"
)

// themeCSS renders the tenant colour as CSS custom properties. The text
// colour on the brand colour is whichever of white or near-black contrasts
// more, so any city colour stays readable; a lighter shade of the brand is
// used for accents in dark mode.
func themeCSS(primary string) []byte {
	r, g, b := parseHex(primary)
	on := "#ffffff"
	if contrast(luminance(r, g, b), 1) < contrast(luminance(r, g, b), luminance(0x11, 0x11, 0x11)) {
		on = "#111111"
	}
	dr, dg, db := lighten(r, g, b)
	return fmt.Appendf(nil, ":root{--brand:%s;--on-brand:%s;--brand-dark-mode:#%02x%02x%02x}\n", primary, on, dr, dg, db)
}

func parseHex(s string) (r, g, b uint8) {
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil || len(s) != 7 {
		return 0, 0x50, 0x8c
	}
	return uint8(v >> 16), uint8(v >> 8), uint8(v)
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

// lighten mixes the colour with white until it reaches 4.5:1 on the dark
// background (#121212), for links and accents in dark mode.
func lighten(r, g, b uint8) (uint8, uint8, uint8) {
	bg := luminance(0x12, 0x12, 0x12)
	for i := 0; i <= 20; i++ {
		f := float64(i) / 20
		mix := func(c uint8) uint8 { return uint8(math.Round(float64(c) + (255-float64(c))*f)) }
		nr, ng, nb := mix(r), mix(g), mix(b)
		if contrast(luminance(nr, ng, nb), bg) >= 4.5 {
			return nr, ng, nb
		}
	}
	return 255, 255, 255
}
