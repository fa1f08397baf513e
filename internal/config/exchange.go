package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// AuthExchange is the auth kind that exchanges the user's access token for
// one of the source's audience (OAuth 2.0 Token Exchange, RFC 8693).
const AuthExchange = "exchange"

var (
	anyPlaceholder = regexp.MustCompile(`\{[^{}]*\}?`)
	claimName      = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

// checkAudience requires an audience with auth: exchange (and none without).
func (t *Tenant) checkAudience(ps *Problems, p, auth, audience string) {
	switch {
	case auth == AuthExchange && strings.TrimSpace(audience) == "":
		ps.add(p+".audience", "is required with auth: exchange: the client id of this server at the provider, e.g. opendesk-nextcloud (see docs/opendesk.md)")
	case auth != AuthExchange && audience != "":
		ps.add(p+".audience", "is only used with auth: exchange: remove it or set auth: exchange")
	}
}

// checkPlaceholders accepts {user} and {claim:NAME} in a source URL and
// notes the claims the sign-in must keep; anything else is a problem.
func (t *Tenant) checkPlaceholders(ps *Problems, path, raw string) {
	for _, m := range anyPlaceholder.FindAllString(raw, -1) {
		inner := strings.TrimSuffix(strings.TrimPrefix(m, "{"), "}")
		name, isClaim := strings.CutPrefix(inner, "claim:")
		switch {
		case m == "{user}":
		case isClaim && claimName.MatchString(name) && strings.HasSuffix(m, "}"):
			if t.OIDC == nil {
				ps.add(path, fmt.Sprintf("%s takes a claim of the sign-in: it needs an oidc section in this tenant", m))
			} else if !slices.Contains(t.OIDC.URLClaims, name) {
				t.OIDC.URLClaims = append(t.OIDC.URLClaims, name)
			}
		default:
			ps.add(path, fmt.Sprintf("%q is not a placeholder Pforte knows: use {user} (the login name) or {claim:NAME} with a claim name of letters, digits, _ . - (e.g. {claim:opendesk_objectid})", m))
		}
	}
}
