package pwa

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/demo"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// The installed app carries the city's name and icons; a changed script
// gets a new ETag (else browsers keep the old worker); the user key tells
// users apart without naming them.
func TestManifestAndWorkers(t *testing.T) {
	cfg, err := config.Demo(t.TempDir(), os.Getenv, demo.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := tenant.NewRegistry(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tn := reg.All()[0]
	raw, err := Manifest(tn, "en", func(key string) string { return "T:" + key })
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil || m.Name != tn.Name || m.ShortName != "Musterstadt" || m.Description != "T:pwa.description" || len(m.Icons) != 3 || m.Icons[2].Purpose != "maskable" {
		t.Errorf("manifest %s (%v)", raw, err)
	}
	tmpl := []byte("// sw\n" + configLine + "\nself.addEventListener('fetch', () => {});\n")
	a, err := NewWorkers(tmpl, []string{"/static/h/app.css"}, reg, "secret")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewWorkers(append([]byte("// v2\n"), tmpl...), []string{"/static/h/app.css"}, reg, "secret")
	wa, _ := a.For(tn.ID)
	wb, _ := b.For(tn.ID)
	if wa.ETag == wb.ETag || !bytes.Contains(wa.Body, []byte(`"/static/h/app.css"`)) || bytes.Contains(wa.Body, []byte(configLine)) {
		t.Errorf("worker: etags %s %s, body %s", wa.ETag, wb.ETag, wa.Body)
	}
	if a.UserKey(tn.ID, "u1") != b.UserKey(tn.ID, "u1") || a.UserKey(tn.ID, "u1") == a.UserKey(tn.ID, "u2") || bytes.Contains([]byte(a.UserKey(tn.ID, "u1")), []byte("u1")) {
		t.Error("user key: not stable per user or not distinct between users")
	}
	if _, err := NewWorkers([]byte("no config line"), nil, reg, "secret"); err == nil {
		t.Error("a template without the CONFIG line was accepted")
	}
}
