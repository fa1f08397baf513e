package mail

import (
	"fmt"
	"io"
	"mime"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// newWordDecoder decodes RFC 2047 words in subjects and sender names.
// Go itself knows only UTF-8, US-ASCII and ISO-8859-1; German mail also
// arrives as windows-1252 and ISO-8859-15, so every charset a browser
// knows (the WHATWG list) is accepted.
func newWordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: charsetReader}
}

// charsetReader decodes one encoded word. A charset nobody knows must not
// cost the rest of the header: Go's decoder gives up on the whole header
// when this fails, so such a word is kept as it was sent (re-encoded,
// after a space, as the words around it would be separated) and the other
// words are still decoded.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		raw, err := io.ReadAll(io.LimitReader(input, 4<<10))
		if err != nil {
			return nil, fmt.Errorf("mail: charset %q: %w", charset, err)
		}
		return strings.NewReader(" " + mime.QEncoding.Encode(charset, string(raw)) + " "), nil
	}
	return enc.NewDecoder().Reader(input), nil
}
