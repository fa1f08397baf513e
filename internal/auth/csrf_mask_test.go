package auth

import (
	"strings"
	"testing"
)

// A masked token must differ on every page (else compression leaks it)
// and still be accepted; a wrong or empty one never is.
func TestCSRFMask(t *testing.T) {
	const tok = "c2VjcmV0LXRva2VuLW9mLXRoZS11c2Vy"
	a, b := MaskCSRF(tok), MaskCSRF(tok)
	if a == b || a == tok {
		t.Fatalf("masks repeat or leak the token: %q %q", a, b)
	}
	for _, sent := range []string{a, b, tok} {
		if !CSRFMatches(sent, tok) {
			t.Errorf("CSRFMatches(%q) = false, want true", sent)
		}
	}
	for _, sent := range []string{"", MaskCSRF("another-token-of-same-length-xx"), tok + "x"} {
		if CSRFMatches(sent, tok) {
			t.Errorf("CSRFMatches(%q) = true, want false", sent)
		}
	}
	// 64 masked bytes leave four unused bits in the last character; a
	// token whose text differs there is not the one the page was given.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, a[len(a)-1])
	if padded := a[:len(a)-1] + string(alphabet[last^1]); CSRFMatches(padded, tok) {
		t.Errorf("a masked token with changed padding bits %q was accepted", padded)
	}
	if CSRFMatches("", "") || MaskCSRF("") != "" {
		t.Error("an empty token must never match")
	}
}
