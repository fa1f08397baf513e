package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MaxAssetSize bounds logo and icon files so a mistake cannot bloat every page.
const MaxAssetSize = 1 << 20

// AssetPath resolves a config-relative asset path.
func (c *Config) AssetPath(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.BaseDir, p)
}

// checkAsset returns a problem message, or "" when the file exists, has an
// allowed extension and a sane size. Content sniffing happens when the
// tenant package loads it.
func checkAsset(baseDir, p string, exts []string) string {
	ext := strings.ToLower(filepath.Ext(p))
	ok := false
	for _, e := range exts {
		ok = ok || ext == e
	}
	if !ok {
		return fmt.Sprintf("%q: use a %s file", p, strings.Join(exts, " or "))
	}
	full := p
	if !filepath.IsAbs(p) {
		full = filepath.Join(baseDir, p)
	}
	fi, err := os.Stat(full)
	switch {
	case err != nil:
		return fmt.Sprintf("%q not found (paths are relative to the config file's folder)", p)
	case fi.IsDir():
		return fmt.Sprintf("%q is a folder, not a file", p)
	case fi.Size() > MaxAssetSize:
		return fmt.Sprintf("%q is %d KB: keep it under %d KB", p, fi.Size()/1024, MaxAssetSize/1024)
	}
	return ""
}
