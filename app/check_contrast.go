package main

import (
	"fmt"
	"io"

	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// printContrast is check-config's contrast report for one tenant colour:
// every text/background pair Pforte builds from it, and a warning where the
// colour as configured fails WCAG 2.1 AA (Pforte adjusts it there; the
// warning does not fail the command).
func printContrast(w io.Writer, color string) {
	rep := tenant.CheckContrast(color)
	fmt.Fprintf(w, "    contrast of %s (WCAG 2.1 AA: at least %.1f:1):\n", rep.Color, tenant.MinContrast)
	for _, p := range rep.Pairs {
		verdict := "ok  "
		if !p.OK() {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "      %s %5.2f:1  %s on %s  %s\n", verdict, p.Ratio, p.FG, p.BG, p.Use)
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "    warning: %s\n", warn)
	}
}
