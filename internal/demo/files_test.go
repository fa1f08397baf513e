package demo

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// The demo's files tile is read by the production files connector.
func TestFilesConnectorListsNewestFiles(t *testing.T) {
	u, now, _ := startDemo(t)
	c, err := files.New(files.Options{URL: u.WebDAVURL, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		login     string
		newest    string
		newestAge time.Duration
		count     int
		nested    string
	}{
		{login: "erika", newest: "Haushaltsplan 2027 Entwurf.xlsx", newestAge: 9 * time.Minute, count: 8,
			nested: "Projekte/Digitalisierung Bürgerservice/Förderantrag #2 (Quote 80%).pdf"},
		{login: "max", newest: "IT-Sicherheitskonzept Entwurf v3.docx", newestAge: 14 * time.Minute, count: 7,
			nested: "Projekte/Digitalisierung Bürgerservice/Architektur/Übersicht Server & Netze.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			got, err := c.Fetch(t.Context(), upstream.Credential{Username: tt.login, Password: u.Users[tt.login]})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(got) != tt.count {
				t.Fatalf("got %d files, want %d: %+v", len(got), tt.count, got)
			}
			if got[0].Name != tt.newest || !got[0].Modified.Equal(now.Add(-tt.newestAge)) {
				t.Errorf("newest = %q modified %v, want %q modified %v", got[0].Name, got[0].Modified, tt.newest, now.Add(-tt.newestAge))
			}
			listed := map[string]bool{}
			for _, f := range got {
				if strings.HasPrefix(f.Name, ".") {
					t.Errorf("hidden file %q listed", f.Path)
				}
				listed[f.Path] = true
			}
			for _, want := range []string{tt.nested, "Protokoll Amtsleitung 2026-11-19.docx", "Dienstanweisung Homeoffice.pdf"} {
				if !listed[want] {
					t.Errorf("%q not listed: %+v", want, got)
				}
			}
		})
	}
}

// A plain PROPFIND sees the user's own folder, escaped hrefs included;
// other users' folders, anonymous requests and writes are refused.
func TestWebDAVPropfindAndAccess(t *testing.T) {
	u, _, _ := startDemo(t)
	hc := httpClient(t)
	do := func(method, rawURL, login, password string, body io.Reader) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, rawURL, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Depth", "1")
		if login != "" {
			req.SetBasicAuth(login, password)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	erika := userURL(u.WebDAVURL, "erika")

	code, body := do("PROPFIND", erika, "erika", u.Users["erika"], nil)
	if code != http.StatusMultiStatus {
		t.Fatalf("PROPFIND = %d, want 207: %s", code, body)
	}
	for _, name := range []string{"Haushaltsplan 2027 Entwurf.xlsx", "Dienstanweisung Homeoffice.pdf", "Projekte"} {
		if !strings.Contains(body, (&url.URL{Path: name}).EscapedPath()) {
			t.Errorf("PROPFIND lacks %q:\n%s", name, body)
		}
	}
	project := erika + (&url.URL{Path: "Projekte/Digitalisierung Bürgerservice/"}).EscapedPath()
	code, body = do("PROPFIND", project, "erika", u.Users["erika"], nil)
	if want := "F%C3%B6rderantrag%20%232%20%28Quote%2080%25%29.pdf"; code != http.StatusMultiStatus || !strings.Contains(body, want) {
		t.Errorf("PROPFIND on the project folder = %d without %s:\n%s", code, want, body)
	}

	refused := []struct {
		name, method, url, login, password string
		want                               int
	}{
		{"no credentials", "PROPFIND", erika, "", "", http.StatusUnauthorized},
		{"wrong password", "PROPFIND", erika, "erika", "demo", http.StatusUnauthorized},
		{"other user's folder", "PROPFIND", userURL(u.WebDAVURL, "max"), "erika", u.Users["erika"], http.StatusForbidden},
		{"folder above", "PROPFIND", erika + "../max/", "erika", u.Users["erika"], http.StatusForbidden},
		{"upload", "PUT", erika + "neu.txt", "erika", u.Users["erika"], http.StatusForbidden},
		{"delete", "DELETE", erika + "Dienstanweisung%20Homeoffice.pdf", "erika", u.Users["erika"], http.StatusForbidden},
	}
	for _, r := range refused {
		if code, body := do(r.method, r.url, r.login, r.password, strings.NewReader("x")); code != r.want {
			t.Errorf("%s: %s = %d, want %d: %s", r.name, r.method, code, r.want, body)
		}
	}
	if code, _ := do("GET", erika+"Dienstanweisung%20Homeoffice.pdf", "erika", u.Users["erika"], nil); code != http.StatusOK {
		t.Errorf("the file is gone after DELETE was refused: GET = %d", code)
	}
}
