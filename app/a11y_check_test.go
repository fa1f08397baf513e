package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// check-config prints a contrast report per tenant and warns about a city
// colour that fails as link colour on white, without failing the command.
func TestCheckConfigReportsContrast(t *testing.T) {
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
secret_key: ${PFORTE_SECRET_KEY}
tenants:
  - id: gelb
    hosts: [portal.gelb.example]
    name: Gelbstadt
    theme: {primary_color: "#ffcc00"}
  - id: blau
    hosts: [portal.blau.example]
    name: Blaustadt
    theme: {primary_color: "#00508c"}
`)
	var out bytes.Buffer
	err := run(context.Background(), []string{"check-config", cfg}, func(k string) string {
		if k == "PFORTE_SECRET_KEY" {
			return testSecret
		}
		return ""
	}, &out, &out)
	if err != nil {
		t.Fatalf("a readable-after-adjustment colour failed check-config: %v\n%s", err, out.String())
	}
	report := out.String()
	gelb, blau, ok := strings.Cut(report, "blau:")
	if !ok {
		t.Fatalf("no report for the second tenant:\n%s", report)
	}
	for _, want := range []string{"contrast of #ffcc00", "#000000 on #ffcc00", "warning: #ffcc00 as link colour on white fails: 1.51:1"} {
		if !strings.Contains(gelb, want) {
			t.Errorf("report for gelb lacks %q:\n%s", want, gelb)
		}
	}
	if !strings.Contains(blau, "contrast of #00508c") || !strings.Contains(blau, " 8.31:1  #ffffff on #00508c") {
		t.Errorf("report for blau lacks its pairs:\n%s", blau)
	}
	if strings.Contains(blau, "warning") || strings.Contains(report, "FAIL") {
		t.Errorf("warning or failing pair for colours that pass:\n%s", report)
	}
}
