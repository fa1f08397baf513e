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
// demo tenant on loopback with the embedded store, so `go run ./app` shows
// Pforte working with nothing set up. Its secret key is generated once and
// kept in dataDir so demo sessions survive a restart.
func Demo(dataDir string, getenv func(string) string) (*Config, error) {
	key, err := demoSecret(dataDir)
	if err != nil {
		return nil, err
	}
	cfg := &Config{
		Listen:    "127.0.0.1:3000",
		SecretKey: key,
		Demo:      true,
		Store:     Store{DataDir: dataDir},
		Tenants: []Tenant{{
			ID:            "demo",
			Hosts:         []string{"localhost", "127.0.0.1"},
			Name:          "Mitarbeiterportal Musterstadt",
			ShortName:     "Musterstadt",
			DefaultLocale: "de",
			Timezone:      DefaultTimezone,
			Theme:         Theme{PrimaryColor: DefaultPrimaryColor},
			Legal:         Legal{FeedbackEmail: "barrierefreiheit@musterstadt.example"},
			Apps: []App{
				{Name: "E-Mail", NameEN: "Mail", URL: "https://webmail.musterstadt.example/", Icon: "mail"},
				{Name: "Kalender", NameEN: "Calendar", URL: "https://webmail.musterstadt.example/calendar", Icon: "calendar"},
				{Name: "Dateien", NameEN: "Files", URL: "https://dateien.musterstadt.example/", Icon: "files"},
				{Name: "Chat", NameEN: "Chat", URL: "https://chat.musterstadt.example/", Icon: "chat"},
				{Name: "Videokonferenz", NameEN: "Video conference", URL: "https://meet.musterstadt.example/", Icon: "video"},
			},
		}},
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
