package config

import (
	"strings"
	"testing"
)

// oidc.offline_access is read; a misspelling or a value that is no boolean
// is reported (the misspelt key by its path), so check-config tells the
// operator.
func TestOfflineAccessKey(t *testing.T) {
	vars := env(map[string]string{"SECRET": testKey, "OIDC_SECRET": "abc"})
	on := strings.Replace(validYAML, "admin_groups: [it-admins]}", "admin_groups: [it-admins], offline_access: true}", 1)
	cfg, err := Parse([]byte(on), t.TempDir(), vars)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Tenants[0].OIDC.OfflineAccess {
		t.Fatal("offline_access: true was not read")
	}
	if cfg, err := Parse([]byte(validYAML), t.TempDir(), vars); err != nil || cfg.Tenants[0].OIDC.OfflineAccess {
		t.Fatalf("default: offline_access %v, err %v; want false", cfg != nil && cfg.Tenants[0].OIDC.OfflineAccess, err)
	}
	for bad, want := range map[string]string{"offline_acess: true": "oidc.offline_acess", "offline_access: sometimes": "into bool"} {
		y := strings.Replace(validYAML, "admin_groups: [it-admins]}", "admin_groups: [it-admins], "+bad+"}", 1)
		_, err := Parse([]byte(y), t.TempDir(), vars)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want one naming the field", bad, err)
		}
	}
}
