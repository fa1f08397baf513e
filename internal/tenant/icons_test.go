package tenant

import (
	"bytes"
	"image/png"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Without a configured icon every tenant still gets app icons of the right
// sizes that show a mark in the on-brand colour: its initial (umlauts too),
// or a gate when the name has no letter.
func TestDrawnIconsShowAMark(t *testing.T) {
	for _, tc := range []struct{ short, colour string }{
		{"Musterstadt", "#00508c"}, {"Überlingen", "#ffd500"}, {"–", "#7a1f5c"},
	} {
		tn := &config.Tenant{ID: "x", Name: tc.short, ShortName: tc.short, Theme: config.Theme{PrimaryColor: tc.colour}}
		ic, err := newIcons(&config.Config{}, tn)
		if err != nil {
			t.Fatalf("%s: %v", tc.short, err)
		}
		fg := onColor(colorOf(tc.colour))
		for _, c := range []struct {
			i    Icon
			want int
		}{{ic.Any192, 192}, {ic.Any512, 512}, {ic.Maskable512, 512}, {ic.Apple180, 180}, {ic.Favicon32, 32}} {
			i, want := c.i, c.want
			img, err := png.Decode(bytes.NewReader(i.PNG))
			if err != nil {
				t.Fatalf("%s: %v", tc.short, err)
			}
			n := img.Bounds().Dx()
			if n != want || i.Size != want {
				t.Errorf("%s: icon is %d px (says %d), want %d", tc.short, n, i.Size, want)
			}
			marked := 0
			for y := n / 4; y < n*3/4; y++ {
				for x := n / 4; x < n*3/4; x++ {
					r, g, b, _ := img.At(x, y).RGBA()
					if uint8(r>>8) == fg.R && uint8(g>>8) == fg.G && uint8(b>>8) == fg.B {
						marked++
					}
				}
			}
			if marked < n*n/40 {
				t.Errorf("%s: the %d px icon shows almost no mark (%d pixels in the on-brand colour)", tc.short, n, marked)
			}
		}
	}
}
