package config

import (
	"fmt"
	"math"
	"strings"
)

// secret_key strength. Length alone let "aaaa…" (32 × a) and
// "passwordpasswordpasswordpassword" through, so a key must also look
// random: enough distinct characters, no short unit repeated, not mostly
// an ascending or descending run, and about 128 bits by a rough estimate
// (length × log2 of the distinct characters). `openssl rand -base64 32`
// (44 characters, ~30 distinct) and `openssl rand -hex 32` (64 characters,
// 16 distinct) pass with room to spare. Lengths are in bytes.
const (
	minSecretLen      = 32
	minSecretDistinct = 10
	minSecretBits     = 128
)

// secretHowTo is how to make a good key, shown with every refusal.
const secretHowTo = "generate one with `openssl rand -base64 32` and write secret_key: ${PFORTE_SECRET_KEY}"

// weakSecret explains why key is not acceptable, or returns "".
func weakSecret(key string) string {
	if len(key) < minSecretLen {
		return fmt.Sprintf("must be at least %d bytes (it has %d): %s", minSecretLen, len(key), secretHowTo)
	}
	distinct := map[rune]bool{}
	for _, r := range key {
		distinct[r] = true
	}
	if len(distinct) < minSecretDistinct {
		return fmt.Sprintf("is too weak: only %d different characters (at least %d): %s", len(distinct), minSecretDistinct, secretHowTo)
	}
	if p := period(key); p > 0 {
		return fmt.Sprintf("is too weak: it repeats %q: %s", key[:p], secretHowTo)
	}
	if sequential(key) {
		return "is too weak: mostly a run like abcdef or 123456: " + secretHowTo
	}
	if bits := float64(len(key)) * math.Log2(float64(len(distinct))); bits < minSecretBits {
		return fmt.Sprintf("is too weak: about %.0f bits (at least %d): use a longer key or more kinds of characters: %s", bits, minSecretBits, secretHowTo)
	}
	return ""
}

// period is the length of the shortest unit that key repeats (with the
// last copy possibly cut short), 0 when key repeats no unit at most half
// its length.
func period(key string) int {
	for p := 1; p <= len(key)/2; p++ {
		if strings.HasPrefix(key, key[p:]) {
			return p
		}
	}
	return 0
}

// sequential is true when three quarters of key's neighbouring bytes step
// by +1 or -1 (abcdefgh…, 987654…).
func sequential(key string) bool {
	steps := 0
	for i := 1; i < len(key); i++ {
		if d := int(key[i]) - int(key[i-1]); d == 1 || d == -1 {
			steps++
		}
	}
	return steps*4 >= (len(key)-1)*3
}
