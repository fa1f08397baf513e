package dashboard

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// Assemble writes the /api/dashboard document from a cached snapshot as
// stored: the contract's flat object, announcements and apps first, then
// the snapshot's own fields. Only announcements and apps are encoded per
// request.
func Assemble(snapshot []byte, anns []Announcement, apps []App) ([]byte, error) {
	if len(snapshot) < 2 || snapshot[0] != '{' {
		return nil, errors.New("dashboard: cached dashboard is not a JSON object")
	}
	if anns == nil {
		anns = []Announcement{}
	}
	a, err := json.Marshal(anns)
	if err != nil {
		return nil, err
	}
	p, err := json.Marshal(apps)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(snapshot)+len(a)+len(p)+32)
	out = append(out, `{"announcements":`...)
	out = append(out, a...)
	out = append(out, `,"apps":`...)
	out = append(out, p...)
	out = append(out, ',')
	return append(out, snapshot[1:]...), nil
}

// ETag names a dashboard document's bytes, so an unchanged dashboard
// costs a 304.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}
