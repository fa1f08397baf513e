package config

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Demo is the configuration used when no file is given: one clearly marked
// demo tenant t (internal/demo.Tenant) on loopback with the embedded store,
// so `go run ./app` shows Pforte working with nothing set up. Its secret
// key is generated once and kept in dataDir so demo sessions survive a
// restart.
func Demo(dataDir string, getenv func(string) string, t Tenant) (*Config, error) {
	key, err := demoSecret(dataDir)
	if err != nil {
		return nil, err
	}
	cfg := &Config{
		Listen:    "127.0.0.1:3000",
		SecretKey: key,
		Demo:      true,
		Store:     Store{DataDir: dataDir},
		Tenants:   []Tenant{t},
	}
	cfg.applyDefaults(getenv)
	cfg.Tenants[0].Location, _ = time.LoadLocation(DefaultTimezone)
	if ps := cfg.validate(); len(ps) > 0 {
		return nil, fmt.Errorf("config: demo: %w", ps)
	}
	return cfg, nil
}

func demoSecret(dataDir string) (string, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("config: demo data dir: %w", err)
	}
	p := filepath.Join(dataDir, "demo-secret")
	if b, err := os.ReadFile(p); err == nil && len(b) >= minSecretLen { // #nosec G304 -- p is in the operator's data dir
		return string(b), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("config: demo secret: %w", err)
	}
	key := base64.RawURLEncoding.EncodeToString(buf)
	if err := os.WriteFile(p, []byte(key), 0o600); err != nil {
		return "", fmt.Errorf("config: demo secret: %w", err)
	}
	return key, nil
}
