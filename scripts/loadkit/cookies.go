// Package loadkit holds what the load drivers (scripts/loadmorning,
// scripts/loadsse) share.
package loadkit

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Signed is one signed-in browser from a cookies file: the user name or
// host written before the tab (the scripts choose), and its cookie.
type Signed struct{ Key, Cookie string }

// ReadCookies reads the KEY<TAB>COOKIE lines that the load scripts collect
// from scripts/loadlogin; lines without a cookie are skipped, and a file
// with none is an error.
func ReadCookies(path string) ([]Signed, error) {
	f, err := os.Open(path) // #nosec G304 -- a file the load script wrote
	if err != nil {
		return nil, fmt.Errorf("cookies: %w", err)
	}
	defer f.Close()
	var out []Signed
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		key, cookie, ok := strings.Cut(sc.Text(), "\t")
		if ok && cookie != "" {
			out = append(out, Signed{key, cookie})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("cookies: no KEY<TAB>COOKIE lines in %s", path)
	}
	return out, sc.Err()
}
