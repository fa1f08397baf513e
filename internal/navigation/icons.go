package navigation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"
)

// Icon limits: small files of three image types only. Anything else is
// refused and the entry shows without an icon.
const (
	MaxIcon  = 64 << 10
	iconKeep = 30 * 24 * time.Hour // an icon's bytes, by content hash
	urlKeep  = 24 * time.Hour      // which hash an icon URL had: icons are fetched again daily
	// IconPath is where Pforte serves the icons: IconPath + hash.
	IconPath = "/nav/icons/"
)

// IconCSP is the Content-Security-Policy an icon is served with: an SVG
// opened on its own runs no script and loads nothing.
const IconCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// Icon is one stored icon.
type Icon struct {
	Type string // image/png, image/webp or image/svg+xml
	Data []byte
}

var iconHash = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// Headers are what an icon is served with: its own type, immutable (the
// hash names its content), and inert even when opened on its own (IconCSP).
func (ic Icon) Headers() map[string]string {
	return map[string]string{"Content-Type": ic.Type, "Cache-Control": "public, max-age=31536000, immutable",
		"Content-Security-Policy": IconCSP, "Content-Disposition": `inline; filename="icon"`}
}

// Icon returns the stored icon named by hash (false: unknown, or s is nil:
// the tenant has no central navigation).
func (s *Service) Icon(ctx context.Context, hash string) (Icon, bool) {
	if s == nil || !iconHash.MatchString(hash) {
		return Icon{}, false
	}
	raw, err := s.Store.Get(ctx, keyIcon+hash)
	if err != nil {
		return Icon{}, false
	}
	typ, data, ok := bytes.Cut(raw, []byte("\n"))
	if !ok {
		return Icon{}, false
	}
	return Icon{Type: string(typ), Data: data}, true
}

// iconPath fetches the icon at raw (once a day) and returns Pforte's path
// of it, or "" when there is none or it was refused. Icons come only from
// the portal's own host: the menu cannot make Pforte fetch from elsewhere.
func (s *Service) iconPath(ctx context.Context, raw string) string {
	u := s.absolute(raw)
	if u == nil || u.Scheme != s.endpoint.Scheme || u.Host != s.endpoint.Host {
		return ""
	}
	idx := keyIconURL + hashOf(u.String())
	if h, err := s.Store.Get(ctx, idx); err == nil {
		if _, ok := s.Icon(ctx, string(h)); ok {
			return IconPath + string(h)
		}
	}
	ic, err := s.fetchIcon(ctx, u.String())
	if err != nil {
		s.Logger.Warn("navigation: icon refused", "url", u.Redacted(), "err", err)
		return ""
	}
	sum := sha256.Sum256(ic.Data)
	h := base64.RawURLEncoding.EncodeToString(sum[:16])
	if err := s.Store.Set(ctx, keyIcon+h, append([]byte(ic.Type+"\n"), ic.Data...), iconKeep); err != nil {
		return ""
	}
	_ = s.Store.Set(ctx, idx, []byte(h), urlKeep)
	return IconPath + h
}

// fetchIcon reads one icon within the limits.
func (s *Service) fetchIcon(ctx context.Context, u string) (Icon, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Icon{}, err
	}
	resp, err := s.HTTPClient.Do(req) // #nosec G704 -- same host as the configured portal
	if err != nil {
		return Icon{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return Icon{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxIcon+1))
	if err != nil {
		return Icon{}, err
	}
	if len(data) > MaxIcon {
		return Icon{}, fmt.Errorf("larger than %d bytes", MaxIcon)
	}
	typ := IconType(data)
	if typ == "" {
		return Icon{}, errors.New("not a PNG, WebP or SVG image")
	}
	return Icon{Type: typ, Data: data}, nil
}

// IconType is the image type of data judged by its content (never by the
// server's Content-Type): PNG, WebP or SVG, else "".
func IconType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	case isSVG(data):
		return "image/svg+xml"
	}
	return ""
}

// isSVG reports whether data is XML whose root element is svg.
func isSVG(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name.Local == "svg"
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		}
	}
}
