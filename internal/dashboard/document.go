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
// request, and only they are hashed for the ETag: the snapshot's part of
// it is its digest, taken once when it was built.
func Assemble(snapshot Cached, anns []Announcement, apps []App) (body []byte, etag string, err error) {
	if len(snapshot.JSON) < 2 || snapshot.JSON[0] != '{' {
		return nil, "", errors.New("dashboard: cached dashboard is not a JSON object")
	}
	if anns == nil {
		anns = []Announcement{}
	}
	a, err := json.Marshal(anns)
	if err != nil {
		return nil, "", err
	}
	p, err := json.Marshal(apps)
	if err != nil {
		return nil, "", err
	}
	out := make([]byte, 0, len(snapshot.JSON)+len(a)+len(p)+32)
	out = append(out, `{"announcements":`...)
	out = append(out, a...)
	out = append(out, `,"apps":`...)
	out = append(out, p...)
	out = append(out, ',')
	out = append(out, snapshot.JSON[1:]...)
	if snapshot.Digest == (Digest{}) { // not from Cache (a test's or an older caller's value)
		snapshot.Digest = digestOf(snapshot.JSON)
	}
	return out, documentETag(snapshot.Digest, out[:len(out)-len(snapshot.JSON)+1]), nil
}

// documentETag names a document by its snapshot's digest and the bytes
// written before the snapshot (announcements and apps, self-delimiting
// JSON), so an unchanged dashboard costs a 304 and any change to either
// part gives a new tag.
func documentETag(snapshot Digest, head []byte) string {
	h := sha256.New()
	h.Write(snapshot[:])
	h.Write(head)
	var sum [sha256.Size]byte
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:12]) + `"`
}
