package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"

	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// MatchAPIToken returns the name of the configured API token whose SHA-256
// is the hash of token. Every configured hash is compared, in constant
// time, so the answer's timing does not tell which one matched.
func MatchAPIToken(token string, tokens []config.APIToken) (name string, ok bool) {
	sum := sha256.Sum256([]byte(token))
	for _, t := range tokens {
		want, err := hex.DecodeString(t.SHA256)
		if err == nil && subtle.ConstantTimeCompare(sum[:], want) == 1 && !ok {
			name, ok = t.Name, true
		}
	}
	return name, ok
}
