package demo

import (
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

func TestDemoIsValidAndKeepsItsSecret(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	a, err := config.Demo(dir, noEnv, Tenant())
	if err != nil {
		t.Fatal(err)
	}
	b, err := config.Demo(dir, noEnv, Tenant())
	if err != nil {
		t.Fatal(err)
	}
	if !a.Demo || a.SecretKey != b.SecretKey || a.Listen != "127.0.0.1:3000" {
		t.Errorf("demo: Demo=%v, same secret=%v, listen=%q", a.Demo, a.SecretKey == b.SecretKey, a.Listen)
	}
	if a.Tenants[0].OIDC != nil {
		t.Error("demo tenant must not have an oidc section")
	}
}
