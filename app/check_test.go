package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestCheckConfigReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", `
secret_key: ${PFORTE_SECRET_KEY}
tenants:
  - id: muenchen
    hosts: [portal.muenchen.example]
    name: Mitarbeiterportal München
    theme: {primary_color: "blue"}
  - id: augsburg
    hosts: [portal.augsburg.example]
    name: Mitarbeiterportal Augsburg
    oidc: {issuer: "http://id.augsburg.example/realms/staff", client_id: pforte, client_secret: x}
    timezone: Europe/Augsburg
`)
	var out bytes.Buffer
	err := run(context.Background(), []string{"check-config", bad}, func(k string) string {
		if k == "PFORTE_SECRET_KEY" {
			return testSecret
		}
		return ""
	}, &out, &out)
	if err == nil {
		t.Fatalf("check-config accepted a broken file:\n%s", out.String())
	}
	if exitCode(err) == 0 {
		t.Errorf("exit code 0 for a broken file")
	}
	for _, want := range []string{
		"3 problem(s)",
		"tenants[0].theme.primary_color:",
		"tenants[1].oidc.issuer: must be an https URL (http only for localhost)",
		"tenants[1].timezone:",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	good := writeFile(t, dir, "good.yaml", `
secret_key: ${PFORTE_SECRET_KEY}
tenants:
  - id: muenchen
    hosts: [portal.muenchen.example]
    name: Mitarbeiterportal München
`)
	out.Reset()
	if err := run(context.Background(), []string{"--config", good, "check-config"}, func(k string) string {
		if k == "PFORTE_SECRET_KEY" {
			return testSecret
		}
		return ""
	}, &out, &out); err != nil {
		t.Fatalf("valid file rejected: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "ok (1 tenant(s))") {
		t.Errorf("output = %q, want an ok line", out.String())
	}
	// The file named after the command with --config works the same.
	out.Reset()
	err = run(context.Background(), []string{"check-config", "--config", bad}, func(string) string { return "" }, &out, &out)
	if err == nil || !strings.Contains(out.String(), "${PFORTE_SECRET_KEY}: is not set in the environment (line 2)") {
		t.Errorf("check-config --config FILE: %v\n%s", err, out.String())
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &out)
	if exitCode(err) != 2 || !strings.Contains(out.String(), "Usage: pforte") {
		t.Errorf("err=%v code=%d out=%q; want usage and exit 2", err, exitCode(err), out.String())
	}
}
