package tenant

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Brand is what a tenant looks like, prepared once at start.
type Brand struct {
	ThemeCSS  []byte // CSS custom properties for the tenant's colours
	ThemeHash string // content hash, part of the theme URL
	Logo      []byte // nil: the default Pforte mark
	LogoType  string // image/svg+xml or image/png
	LogoHash  string
	Icons     Icons // app icons, derived once (icons.go)
}

func newBrand(cfg *config.Config, t *config.Tenant) (Brand, error) {
	b := Brand{ThemeCSS: themeCSS(t.Theme.PrimaryColor)}
	b.ThemeHash = shortHash(b.ThemeCSS)
	// The same content checks as check-config (assets.go), before the icon
	// is decoded in full for deriving the app icons.
	if t.Theme.Icon != "" {
		if _, err := LoadIcon(cfg.AssetPath(t.Theme.Icon)); err != nil {
			return b, fmt.Errorf("theme.icon %q: %w", t.Theme.Icon, err)
		}
	}
	icons, err := newIcons(cfg, t)
	if err != nil {
		return b, err
	}
	b.Icons = icons
	if t.Theme.Logo != "" {
		logo, err := LoadLogo(cfg.AssetPath(t.Theme.Logo))
		if err != nil {
			return b, fmt.Errorf("theme.logo %q: %w", t.Theme.Logo, err)
		}
		b.Logo, b.LogoType, b.LogoHash = logo.Data, logo.Type, logo.Hash
	}
	return b, nil
}

func shortHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:6])
}
