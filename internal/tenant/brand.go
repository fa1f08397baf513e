package tenant

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Brand is what a tenant looks like, prepared once at start.
type Brand struct {
	ThemeCSS  []byte // CSS custom properties for the tenant's colours
	ThemeHash string // content hash, part of the theme URL
	Logo      []byte // nil: the default Pforte mark
	LogoType  string // image/svg+xml or image/png
	LogoHash  string
}

func newBrand(cfg *config.Config, t *config.Tenant) (Brand, error) {
	b := Brand{ThemeCSS: themeCSS(t.Theme.PrimaryColor)}
	b.ThemeHash = shortHash(b.ThemeCSS)
	if t.Theme.Logo != "" {
		raw, err := os.ReadFile(cfg.AssetPath(t.Theme.Logo))
		if err != nil {
			return b, fmt.Errorf("theme.logo: %w", err)
		}
		ct, err := sniffImage(raw)
		if err != nil {
			return b, fmt.Errorf("theme.logo: %w", err)
		}
		b.Logo, b.LogoType, b.LogoHash = raw, ct, shortHash(raw)
	}
	return b, nil
}

// sniffImage accepts PNG and SVG only: what the file is, not what it is named.
func sniffImage(raw []byte) (string, error) {
	if ct := http.DetectContentType(raw); ct == "image/png" {
		return ct, nil
	}
	head := bytes.ToLower(raw[:min(len(raw), 512)])
	if bytes.Contains(head, []byte("<svg")) {
		return "image/svg+xml", nil
	}
	return "", fmt.Errorf("not a PNG or SVG image")
}

func shortHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:6])
}
