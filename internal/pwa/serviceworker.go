package pwa

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"slices"
	"sync"

	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// configLine is the line of templates/sw.js the server fills in.
const configLine = "const CONFIG = {}; // filled in by the server"

// Workers are the /sw.js bodies per tenant, built once at start: the
// template with this tenant's app shell (hashed URLs) and a version that
// changes whenever any of them does.
type Workers struct {
	byTenant map[string]Worker
	userKey  []byte    // HMAC key for UserKey
	macs     sync.Pool // keyed HMACs for UserKey (every signed-in response asks)
}

// Worker is one tenant's service worker script, plain and gzipped, with
// the ETag that names its version.
type Worker struct {
	Body, Gzip []byte
	ETag       string
}

// NewWorkers fills tmpl (templates/sw.js) in for every tenant of reg;
// shared are the hashed URLs of the static files every tenant's shell
// holds, secret derives the key of UserKey.
func NewWorkers(tmpl []byte, shared []string, reg *tenant.Registry, secret string) (*Workers, error) {
	if !bytes.Contains(tmpl, []byte(configLine)) {
		return nil, fmt.Errorf("pwa: service worker: templates/sw.js lacks %q", configLine)
	}
	shared = slices.Sorted(slices.Values(shared))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("pforte service worker user key v1"))
	ws := &Workers{byTenant: map[string]Worker{}, userKey: mac.Sum(nil)}
	ws.macs.New = func() any { return hmac.New(sha256.New, ws.userKey) }
	for _, t := range reg.All() {
		shell := append(slices.Clone(shared), "/offline", "/manifest.webmanifest", "/theme/"+t.Brand.ThemeHash+".css")
		if t.Brand.Logo != nil {
			shell = append(shell, "/brand/logo/"+t.Brand.LogoHash)
		}
		// Only what pages show; the install icons are fetched by the browser when it installs.
		shell = append(shell, IconURL(t.Brand.Icons.Favicon32))
		cfg := map[string]any{"shell": shell, "name": t.Name, "icon": IconURL(t.Brand.Icons.Any192)}
		// The version covers everything in the served script, so the ETag
		// changes whenever the script does.
		raw, err := json.Marshal(cfg)
		if err != nil {
			return nil, fmt.Errorf("pwa: service worker: %w", err)
		}
		sum := sha256.Sum256(append(slices.Clone(tmpl), raw...))
		version := hex.EncodeToString(sum[:6])
		cfg["version"] = version
		if raw, err = json.Marshal(cfg); err != nil {
			return nil, fmt.Errorf("pwa: service worker: %w", err)
		}
		body := bytes.Replace(tmpl, []byte(configLine), []byte("const CONFIG = "+string(raw)+";"), 1)
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		ws.byTenant[t.ID] = Worker{Body: body, Gzip: gz.Bytes(), ETag: `"` + version + `"`}
	}
	return ws, nil
}

// For is the service worker of a tenant.
func (ws *Workers) For(tenantID string) (Worker, bool) {
	w, ok := ws.byTenant[tenantID]
	return w, ok
}

// UserKey is an opaque per-user value that tells the service worker whose
// personal data a response is: an HMAC of tenant and subject, stable per
// user and useless to anyone else.
func (ws *Workers) UserKey(tenantID, subject string) string {
	mac := ws.macs.Get().(hash.Hash)
	defer ws.macs.Put(mac)
	mac.Reset()
	_, _ = io.WriteString(mac, tenantID)
	_, _ = mac.Write([]byte{0})
	_, _ = io.WriteString(mac, subject)
	var sum [sha256.Size]byte
	return hex.EncodeToString(mac.Sum(sum[:0])[:16])
}
