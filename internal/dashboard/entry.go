package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Cached is a user's snapshot as JSON, ready to send.
type Cached struct {
	JSON    []byte
	AsOf    time.Time
	FreshTo time.Time // served without refresh until then
	Digest  Digest    // of JSON, taken once when it was built (the document's ETag builds on it)
}

// Digest names a snapshot's bytes: the first half of their SHA-256.
type Digest [16]byte

func digestOf(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest(sum[:16])
}

// Snapshot decodes the JSON (for the server-rendered page).
func (c Cached) Snapshot() (Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(c.JSON, &s); err != nil {
		return s, fmt.Errorf("dashboard: decode snapshot: %w", err)
	}
	return s, nil
}

// entry is the stored form: a short header line with the times and the
// snapshot's digest, then the snapshot JSON, so reading an entry needs no
// JSON decoding and no hashing.
type entry struct {
	Cached
}

const (
	entryMagic   = "pd2 "
	entryMagicV1 = "pd1 " // no digest: it is taken on read
)

func (e entry) encode() []byte {
	var b bytes.Buffer
	b.Grow(len(e.JSON) + 48 + 2*len(e.Digest))
	b.WriteString(entryMagic)
	b.WriteString(strconv.FormatInt(e.FreshTo.UnixNano(), 10))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatInt(e.AsOf.UnixNano(), 10))
	b.WriteByte(' ')
	var d [2 * len(Digest{})]byte
	hex.Encode(d[:], e.Digest[:])
	b.Write(d[:])
	b.WriteByte('\n')
	b.Write(e.JSON)
	return b.Bytes()
}

// decodeEntry reads what encode wrote, and the digest-less entries of the
// version before; anything else is a miss.
func decodeEntry(raw []byte) (entry, bool) {
	v1 := bytes.HasPrefix(raw, []byte(entryMagicV1))
	if !v1 && !bytes.HasPrefix(raw, []byte(entryMagic)) {
		return entry{}, false
	}
	head, body, ok := bytes.Cut(raw[len(entryMagic):], []byte{'\n'})
	if !ok {
		return entry{}, false
	}
	f, rest, ok := bytes.Cut(head, []byte{' '})
	if !ok {
		return entry{}, false
	}
	a, d, hasDigest := bytes.Cut(rest, []byte{' '})
	if hasDigest == v1 {
		return entry{}, false
	}
	fresh, err1 := strconv.ParseInt(string(f), 10, 64)
	asOf, err2 := strconv.ParseInt(string(a), 10, 64)
	if err1 != nil || err2 != nil {
		return entry{}, false
	}
	e := entry{Cached: Cached{JSON: body, AsOf: time.Unix(0, asOf), FreshTo: time.Unix(0, fresh)}}
	if v1 {
		e.Digest = digestOf(body)
	} else if n, err := hex.Decode(e.Digest[:], d); err != nil || n != len(e.Digest) || len(d) != 2*len(e.Digest) {
		return entry{}, false
	}
	return e, true
}
