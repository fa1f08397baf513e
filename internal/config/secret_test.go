package config

import (
	"strings"
	"testing"
)

// testKey is a secret_key that passes the strength check.
const testKey = "Zq8mW3xT7vK2pN9rB4yH6cJ1dG5sF0aL"

// Issue 17, point 7: keys that only have the length are refused, with how
// to make a good one; what openssl makes passes.
func TestWeakSecretKeysRefused(t *testing.T) {
	for name, key := range map[string]string{
		"a × 32":        strings.Repeat("a", 32),
		"password × 4":  strings.Repeat("password", 4),
		"digits × 4":    strings.Repeat("0123456789", 4),
		"alphabet run":  "abcdefghijklmnopqrstuvwxyz012345",
		"two letters":   strings.Repeat("ab", 20),
		"short":         "Zq8mW3xT7vK2pN9r",
		"few kinds":     strings.Repeat("abcdefghijk", 3)[:32],
		"31 bytes of ü": strings.Repeat("ü", 15) + "x",
	} {
		why := weakSecret(key)
		if why == "" || !strings.Contains(why, "openssl rand -base64 32") {
			t.Errorf("%s: %q accepted or refused without how to generate one (%q)", name, key, why)
		}
	}
	for name, key := range map[string]string{
		"openssl rand -base64 32": "q0Jk3uB2mK8v1w6+Tz9Xr4oPq7sLd2hYc5NfA0eRgWI=",
		"openssl rand -hex 32":    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"the tests' key":          "test-secret-key-0123456789-abcdefghijkl",
		"testKey":                 testKey,
	} {
		if why := weakSecret(key); why != "" {
			t.Errorf("%s: refused: %s", name, why)
		}
	}
	if why := weakSecret("short"); !strings.Contains(why, "at least 32 bytes (it has 5)") {
		t.Errorf("short key: %q, want the length in bytes", why)
	}
}
