package auth

import "testing"

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
	if CSRFMatches("", "") || MaskCSRF("") != "" {
		t.Error("an empty token must never match")
	}
}
