package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gitlab.opencode.de/pforte/pforte/internal/push"
)

// Chunk items are the bulk of the outbox (100,000 devices are 200 items of
// 500 subscriptions), so they are written in a compact line form rather than
// JSON: encoding and decoding 500 subscriptions as JSON cost several µs per
// target, a few % of a push. The form is chunkMagic, a header line
// "pub\tann\tno\tattempt" and one line per target
// "id\tendpoint\tp256dh\tauth\texpirationTime" (the last empty when null).
// A chunk whose fields hold a tab or a newline (an unusual OIDC subject) is
// written as JSON, as are announcement events; items written as JSON by
// earlier versions are read as before.
const chunkMagic = "pforte-chunk/1\n"

// encodeItem is the queue form of an outbox item.
func encodeItem(it outboxItem) ([]byte, error) {
	if it.Chunk == nil || !compactable(it.Chunk) {
		return json.Marshal(it)
	}
	c := it.Chunk
	b := make([]byte, 0, len(chunkMagic)+64+len(c.Targets)*320)
	b = append(b, chunkMagic...)
	b = append(b, c.Pub...)
	b = append(b, '\t')
	b = append(b, c.Ann...)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(c.No), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(c.Attempt), 10)
	b = append(b, '\n')
	for _, tg := range c.Targets {
		b = append(b, tg.ID...)
		b = append(b, '\t')
		b = append(b, tg.Sub.Endpoint...)
		b = append(b, '\t')
		b = append(b, tg.Sub.Keys.P256dh...)
		b = append(b, '\t')
		b = append(b, tg.Sub.Keys.Auth...)
		b = append(b, '\t')
		if tg.Sub.ExpirationTime != nil {
			b = strconv.AppendInt(b, *tg.Sub.ExpirationTime, 10)
		}
		b = append(b, '\n')
	}
	return b, nil
}

// compactable reports whether no field of c holds a separator.
func compactable(c *chunk) bool {
	clean := func(s string) bool { return !strings.ContainsAny(s, "\t\n") }
	if !clean(c.Pub) || !clean(c.Ann) {
		return false
	}
	for _, tg := range c.Targets {
		if !clean(tg.ID) || !clean(tg.Sub.Endpoint) || !clean(tg.Sub.Keys.P256dh) || !clean(tg.Sub.Keys.Auth) {
			return false
		}
	}
	return true
}

// decodeItem reads an outbox item in either form.
func decodeItem(data []byte) (outboxItem, error) {
	if !bytes.HasPrefix(data, []byte(chunkMagic)) {
		var it outboxItem
		err := json.Unmarshal(data, &it)
		return it, err
	}
	c, err := decodeChunk(string(data[len(chunkMagic):]))
	if err != nil {
		return outboxItem{}, fmt.Errorf("notify: chunk item: %w", err)
	}
	return outboxItem{Chunk: c}, nil
}

var errChunkForm = errors.New("malformed line")

// decodeChunk reads the lines after chunkMagic. The strings share s's
// memory: one allocation for the text, one for the targets.
func decodeChunk(s string) (*chunk, error) {
	header, rest, _ := strings.Cut(s, "\n")
	var f [5]string
	if fieldsOf(header, f[:4]) != 4 {
		return nil, errChunkForm
	}
	no, err1 := strconv.Atoi(f[2])
	attempt, err2 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil {
		return nil, errChunkForm
	}
	c := &chunk{Pub: f[0], Ann: f[1], No: no, Attempt: attempt, Targets: make([]push.Target, 0, strings.Count(rest, "\n"))}
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if fieldsOf(line, f[:]) != 5 {
			return nil, errChunkForm
		}
		tg := push.Target{ID: f[0], Sub: push.Subscription{Endpoint: f[1], Keys: push.Keys{P256dh: f[2], Auth: f[3]}}}
		if f[4] != "" {
			exp, err := strconv.ParseInt(f[4], 10, 64)
			if err != nil {
				return nil, errChunkForm
			}
			tg.Sub.ExpirationTime = &exp
		}
		c.Targets = append(c.Targets, tg)
	}
	return c, nil
}

// fieldsOf splits line at tabs into out and returns how many fields it
// had (len(out)+1 when there were more).
func fieldsOf(line string, out []string) int {
	for i := range out {
		field, more, found := strings.Cut(line, "\t")
		out[i] = field
		if !found {
			return i + 1
		}
		line = more
	}
	return len(out) + 1
}

// ChunkTargets returns the targets of an outbox item as stored in the
// queue (either form), or nil when it is not a chunk: for tools and tests
// that look into the outbox.
func ChunkTargets(data []byte) []push.Target {
	it, err := decodeItem(data)
	if err != nil || it.Chunk == nil {
		return nil
	}
	return it.Chunk.Targets
}
