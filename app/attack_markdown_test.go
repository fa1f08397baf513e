package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Issue 17, point 1: the 8,000-character body with a 1,000-column table is
// refused by the API with a 400 that names the limit; nothing is stored.
func TestAPIRefusesAmplifyingTable(t *testing.T) {
	a := startAnnApp(t, testOIDC(t))
	var b strings.Builder
	b.WriteString(strings.Repeat("|a", 1000) + "|\n" + strings.Repeat("|-", 1000) + "|\n")
	for b.Len() < 8000 {
		b.WriteString("|x\n")
	}
	body, _ := json.Marshal(map[string]string{"title": "Wartung", "body": b.String()})
	status, out := api(t, nil, http.MethodPost, a.URL+"/api/announcements", a.Token, string(body), nil)
	if status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(out), "body: a table may have at most 20 columns (this one has 1000)") {
		t.Fatalf("POST with the 1,000-column table: %d %v, want 400 naming the column limit", status, out)
	}
	status, out = api(t, nil, http.MethodGet, a.URL+"/api/announcements", a.Token, "", nil)
	if status != http.StatusOK || len(titlesOf(out)) != 0 {
		t.Errorf("after the refused POST: %d %v, want no announcement", status, titlesOf(out))
	}
}
