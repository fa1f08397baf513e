package auth

import "fmt"

// urlClaims keeps the named claims of the sign-in (strings, or numbers
// written out) for {claim:NAME} in source URLs; nil when none are named.
func urlClaims(raw map[string]any, names []string) map[string]string {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		switch v := raw[n].(type) {
		case string:
			out[n] = v
		case float64, bool:
			out[n] = fmt.Sprint(v)
		}
	}
	return out
}

// TokenEndpoint is the provider's token endpoint from its discovery
// document (where token exchange is asked, RFC 8693).
func (p *Provider) TokenEndpoint() string { return p.disc.TokenEndpoint }
