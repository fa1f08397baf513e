package mail

import (
	"fmt"
	"io"
	"mime"

	"golang.org/x/text/encoding/htmlindex"
)

// newWordDecoder decodes RFC 2047 words in subjects and sender names.
// Go itself knows only UTF-8, US-ASCII and ISO-8859-1; German mail also
// arrives as windows-1252 and ISO-8859-15, so every charset a browser
// knows (the WHATWG list) is accepted.
func newWordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: charsetReader}
}

func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("mail: charset %q: %w", charset, err)
	}
	return enc.NewDecoder().Reader(input), nil
}
