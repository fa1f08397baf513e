package config

import (
	"testing"
)

// FuzzParse: no configuration file, however broken, panics the loader; a
// file it accepts has a secret key and at least one tenant with a host.
func FuzzParse(f *testing.F) {
	f.Add([]byte(validYAML))
	f.Add([]byte("secret_key: ${SECRET}\ntenants: [{id: a, hosts: [a.example], name: A}]"))
	f.Add([]byte("tenants: [[[{"))
	f.Add([]byte("{listen: 1, tenants: {a: b}, secret_key: [x]}"))
	f.Add([]byte("&a [*a, *a]"))
	f.Add([]byte(""))
	dir := f.TempDir()
	getenv := env(map[string]string{"SECRET": testKey, "OIDC_SECRET": "geheim"})
	f.Fuzz(func(t *testing.T, raw []byte) {
		cfg, err := Parse(raw, dir, getenv)
		if err != nil {
			return
		}
		if cfg == nil || len(cfg.Tenants) == 0 {
			t.Fatalf("accepted a configuration without tenants: %q", raw)
		}
	})
}
