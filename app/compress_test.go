package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Pages and JSON go out compressed, and the CSRF token in them never has
// the same bytes twice (masked per response against BREACH); masked,
// unmasked (old pages) and script-sent tokens are all accepted, a forged
// one is not.
func TestCompressedPagesMaskTheCSRFToken(t *testing.T) {
	o := testOIDC(t)
	app := startAnnApp(t, o)
	bob := browser(t)
	signIn(t, bob, app.URL, "/", "bob", "bob-pw")

	get := func(path, enc string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, app.URL+path, nil)
		req.Header.Set("Accept-Encoding", enc) // set by hand: Go then leaves the body compressed
		res, err := bob.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ = io.ReadAll(zr)
		}
		return res, string(raw)
	}
	res1, page1 := get("/", "gzip")
	_, page2 := get("/", "gzip")
	if res1.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res1.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("the dashboard went out with Content-Encoding %q, Vary %q; want gzip and Vary: Accept-Encoding",
			res1.Header.Get("Content-Encoding"), res1.Header.Get("Vary"))
	}
	if res, _ := get("/api/announcements", "br"); res.Header.Get("Content-Encoding") != "br" && res.ContentLength > 200 {
		t.Errorf("JSON for a brotli client: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	tok1, tok2 := csrfOf(t, page1), csrfOf(t, page2)
	if tok1 == tok2 {
		t.Fatalf("two responses carry the same CSRF token bytes %q", tok1)
	}
	if strings.Count(page1, tok1) < 2 { // the meta tag and the logout form, masked alike within one response
		t.Errorf("the forms of one page do not carry the page's token")
	}
	raw1, raw2 := unmask(t, tok1), unmask(t, tok2)
	if raw1 != raw2 {
		t.Fatalf("the masked tokens hide different tokens")
	}

	preview := func(tok, how string) int {
		t.Helper()
		form, hdr := url.Values{"body": {"**x**"}}, http.Header{}
		if how == "header" {
			hdr.Set("X-CSRF-Token", tok)
		} else {
			form.Set("_csrf", tok)
		}
		res, _ := do(t, bob, http.MethodPost, app.URL+"/admin/announcements/preview", form, hdr)
		return res.StatusCode
	}
	// Flip one bit of the decoded token, not of its text: the last base64
	// character may carry unused padding bits, and flipping one of those
	// changes nothing a decoder sees.
	forgedRaw, _ := base64.RawURLEncoding.DecodeString(tok1)
	forgedRaw[len(forgedRaw)-1] ^= 1
	forged := base64.RawURLEncoding.EncodeToString(forgedRaw)
	for _, c := range []struct {
		name, tok, how string
		want           int
	}{
		{"masked token in a form", tok1, "form", http.StatusOK},
		{"another response's masked token from script", tok2, "header", http.StatusOK},
		{"unmasked token (a page from before masking)", raw1, "form", http.StatusOK},
		{"a masked token with one bit changed", forged, "form", http.StatusForbidden},
		{"the mask alone", base64.RawURLEncoding.EncodeToString(make([]byte, 2*len(raw1))), "header", http.StatusForbidden},
	} {
		if got := preview(c.tok, c.how); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// unmask undoes maskCSRF: base64url(mask ‖ mask⊕token).
func unmask(t *testing.T, s string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw)%2 != 0 {
		t.Fatalf("the page's CSRF token %q is not a masked token", s)
	}
	n := len(raw) / 2
	out := make([]byte, n)
	for i := range out {
		out[i] = raw[i] ^ raw[n+i]
	}
	return string(out)
}
