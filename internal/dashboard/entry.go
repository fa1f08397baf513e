package dashboard

import (
	"bytes"
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
}

// Snapshot decodes the JSON (for the server-rendered page).
func (c Cached) Snapshot() (Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(c.JSON, &s); err != nil {
		return s, fmt.Errorf("dashboard: decode snapshot: %w", err)
	}
	return s, nil
}

// entry is the stored form: a short header line with the times, then the
// snapshot JSON, so reading an entry needs no JSON decoding.
type entry struct {
	Cached
}

const entryMagic = "pd1 "

func (e entry) encode() []byte {
	var b bytes.Buffer
	b.Grow(len(e.JSON) + 48)
	b.WriteString(entryMagic)
	b.WriteString(strconv.FormatInt(e.FreshTo.UnixNano(), 10))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatInt(e.AsOf.UnixNano(), 10))
	b.WriteByte('\n')
	b.Write(e.JSON)
	return b.Bytes()
}

// decodeEntry reads what encode wrote; anything else (an old format) is a miss.
func decodeEntry(raw []byte) (entry, bool) {
	if !bytes.HasPrefix(raw, []byte(entryMagic)) {
		return entry{}, false
	}
	head, body, ok := bytes.Cut(raw[len(entryMagic):], []byte{'\n'})
	if !ok {
		return entry{}, false
	}
	f, a, ok := bytes.Cut(head, []byte{' '})
	if !ok {
		return entry{}, false
	}
	fresh, err1 := strconv.ParseInt(string(f), 10, 64)
	asOf, err2 := strconv.ParseInt(string(a), 10, 64)
	if err1 != nil || err2 != nil {
		return entry{}, false
	}
	return entry{Cached: Cached{JSON: body, AsOf: time.Unix(0, asOf), FreshTo: time.Unix(0, fresh)}}, true
}
