package tenant

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

const (
	// MinIconSize is the smallest side of the app icon: the manifest's
	// largest icon is 512x512 and is derived from it.
	MinIconSize = 512
	// maxImageSide bounds PNG dimensions, so a small file cannot decode to
	// gigabytes of pixels at start.
	maxImageSide = 4096
)

// Image is a brand image (logo or icon) checked by its content.
type Image struct {
	Data          []byte
	Type          string // image/png or image/svg+xml
	Hash          string // content hash, part of its URL
	Width, Height int    // PNG only; 0 for SVG
}

// LoadLogo reads and checks a logo: a PNG or SVG (by content, not name) of
// at most config.MaxAssetSize bytes.
func LoadLogo(path string) (Image, error) {
	return loadImage(path, false)
}

// LoadIcon reads and checks the app icon: a square PNG of at least
// MinIconSize pixels per side and at most config.MaxAssetSize bytes.
func LoadIcon(path string) (Image, error) {
	return loadImage(path, true)
}

func loadImage(path string, icon bool) (Image, error) {
	f, err := os.Open(path) // #nosec G304 -- a logo/icon path from the operator's configuration
	if err != nil {
		return Image{}, fmt.Errorf("tenant: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, config.MaxAssetSize+1))
	if err != nil {
		return Image{}, fmt.Errorf("tenant: read %s: %w", path, err)
	}
	if len(raw) > config.MaxAssetSize {
		return Image{}, fmt.Errorf("tenant: larger than %d KB: make it smaller", config.MaxAssetSize/1024)
	}
	img, err := checkImage(raw, icon)
	if err != nil {
		return Image{}, fmt.Errorf("tenant: %w", err)
	}
	return img, nil
}

// checkImage tells what raw is and whether it may serve as a logo or icon.
func checkImage(raw []byte, icon bool) (Image, error) {
	img := Image{Data: raw, Hash: shortHash(raw)}
	switch {
	case http.DetectContentType(raw) == "image/png":
		img.Type = "image/png"
		w, h, err := checkPNG(raw)
		if err != nil {
			return Image{}, err
		}
		img.Width, img.Height = w, h
	case looksLikeSVG(raw):
		if icon {
			return Image{}, errors.New("is an SVG: the app icon must be a square PNG of at least 512x512 pixels")
		}
		if err := checkSVG(raw); err != nil {
			return Image{}, err
		}
		img.Type = "image/svg+xml"
	default:
		if icon {
			return Image{}, errors.New("is not a PNG image (whatever its name says): export the icon as a square PNG of at least 512x512 pixels")
		}
		return Image{}, errors.New("is not a PNG or SVG image (whatever its name says): export the logo as SVG or PNG")
	}
	if icon && (img.Width != img.Height || img.Width < MinIconSize) {
		return Image{}, fmt.Errorf("is %dx%d pixels: the app icon must be square and at least %dx%d", img.Width, img.Height, MinIconSize, MinIconSize)
	}
	return img, nil
}

// checkPNG decodes the whole image (a truncated or corrupt file fails here,
// not in a browser) after its header has shown sane dimensions.
func checkPNG(raw []byte) (w, h int, err error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return 0, 0, fmt.Errorf("is a broken PNG: %w", err)
	}
	if cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return 0, 0, fmt.Errorf("is %dx%d pixels: keep each side at most %d", cfg.Width, cfg.Height, maxImageSide)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		return 0, 0, fmt.Errorf("is a broken PNG: %w", err)
	}
	return cfg.Width, cfg.Height, nil
}

// looksLikeSVG is true for anything that starts like XML; checkSVG then
// decides (an exported SVG may open with a long DOCTYPE or comment).
func looksLikeSVG(raw []byte) bool {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(bytes.TrimSpace(raw), []byte("<"))
}

// checkSVG requires well-formed XML whose root is <svg>, without scripts,
// event handlers, foreign objects or links to javascript:. Pforte serves the
// logo sandboxed and shows it through <img> (where scripts never run), so
// this is a second line: a logo with active content is a mistake worth
// reporting before it is deployed.
func checkSVG(raw []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	dec.Strict = true
	root := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("is not well-formed SVG (export it again as plain SVG): %w", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		name := strings.ToLower(el.Name.Local)
		if root && name != "svg" {
			return fmt.Errorf("is not an SVG image: its root element is <%s>", el.Name.Local)
		}
		root = false
		if name == "script" || name == "foreignobject" {
			return fmt.Errorf("contains <%s>: remove it (a logo must not carry active content)", el.Name.Local)
		}
		for _, a := range el.Attr {
			an := strings.ToLower(a.Name.Local)
			if strings.HasPrefix(an, "on") {
				return fmt.Errorf("has an event handler (%s on <%s>): remove it", a.Name.Local, el.Name.Local)
			}
			if an == "href" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "javascript:") {
				return fmt.Errorf("links to javascript: on <%s>: remove the link", el.Name.Local)
			}
		}
	}
	if root {
		return errors.New("is not an SVG image: it has no <svg> element")
	}
	return nil
}

// CheckAssets checks every tenant's logo and icon by content and returns a
// problem for each with its config path. Paths that already have a problem
// in known (missing file, wrong extension, too large) are skipped: one
// mistake, one message.
func CheckAssets(cfg *config.Config, known config.Problems) config.Problems {
	seen := map[string]bool{}
	for _, p := range known {
		seen[p.Path] = true
	}
	var ps config.Problems
	for i, t := range cfg.Tenants {
		for _, a := range []struct {
			key, file string
			load      func(string) (Image, error)
		}{{"logo", t.Theme.Logo, LoadLogo}, {"icon", t.Theme.Icon, LoadIcon}} {
			path := fmt.Sprintf("tenants[%d].theme.%s", i, a.key)
			if a.file == "" || seen[path] {
				continue
			}
			if _, err := a.load(cfg.AssetPath(a.file)); err != nil {
				ps = append(ps, config.Problem{Path: path, Message: fmt.Sprintf("%q %s", a.file, strings.TrimPrefix(err.Error(), "tenant: "))})
			}
		}
	}
	return ps
}
