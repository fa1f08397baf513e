package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Issue 17, point 7: check-config refuses a key that is long enough but
// weak, and says how to generate a good one.
func TestCheckConfigRefusesWeakSecretKey(t *testing.T) {
	cfg := writeFile(t, t.TempDir(), "pforte.yaml", `
secret_key: `+strings.Repeat("a", 32)+`
tenants:
  - id: muenchen
    hosts: [portal.muenchen.example]
    name: Mitarbeiterportal München
`)
	var out bytes.Buffer
	err := run(context.Background(), []string{"check-config", cfg}, func(string) string { return "" }, &out, &out)
	if err == nil || exitCode(err) == 0 {
		t.Fatalf("check-config accepted secret_key: aaaa…:\n%s", out.String())
	}
	for _, want := range []string{"secret_key: is too weak", "openssl rand -base64 32"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
