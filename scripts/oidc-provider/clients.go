package main

import (
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	// scopeGroups asks for the `groups` claim, like a Keycloak client scope
	// with a group membership mapper.
	scopeGroups = "groups"

	defaultAccessTokenLifetime = 5 * time.Minute
	shortAccessTokenLifetime   = 2 * time.Second
	// soonAccessTokenLifetime is inside Pforte's refresh window (1 min) but
	// above oauth2's 10 s expiry delta, which refuses shorter tokens at exchange.
	soonAccessTokenLifetime = 30 * time.Second
)

// clientPolicy is what this provider decides per client on top of the
// example storage's client model.
type clientPolicy struct {
	secret string
	// accessTokenLifetime is how long the client's access tokens stay active.
	accessTokenLifetime time.Duration
	// introspectOnly marks a resource server (Dovecot): it signs in no
	// users but may introspect the access tokens of every client.
	introspectOnly bool
	// resource marks an audience-checking resource server: it signs in no
	// users and its introspection answers active only for tokens whose
	// audience names it (token exchange, exchange.go).
	resource bool
	// exchangeAudiences are the resource servers this client may exchange
	// a user's access token for (RFC 8693), as Keycloak's "standard token
	// exchange" allows a client per audience.
	exchangeAudiences []string
}

// signsInNobody is true for resource servers, which only introspect.
func (p clientPolicy) signsInNobody() bool { return p.introspectOnly || p.resource }

// Resource servers that check the audience of bearer tokens (the stack's
// IMAP, CalDAV and WebDAV bearer checks) and the one no client may
// exchange tokens for (tests of a refused exchange).
var resourceServers = []string{"res-imap", "res-caldav", "res-webdav"}

// testClients are the registered clients, by client_id.
func testClients() map[string]clientPolicy {
	return map[string]clientPolicy{
		"pforte":       {secret: "pforte-secret", accessTokenLifetime: defaultAccessTokenLifetime, exchangeAudiences: resourceServers},
		"pforte-b":     {secret: "pforte-b-secret", accessTokenLifetime: defaultAccessTokenLifetime},
		"pforte-short": {secret: "pforte-short-secret", accessTokenLifetime: shortAccessTokenLifetime, exchangeAudiences: resourceServers},
		"pforte-soon":  {secret: "pforte-soon-secret", accessTokenLifetime: soonAccessTokenLifetime},
		"dovecot":      {secret: "dovecot-secret", introspectOnly: true},
		"res-imap":     {secret: "res-imap-secret", resource: true},
		"res-caldav":   {secret: "res-caldav-secret", resource: true},
		"res-webdav":   {secret: "res-webdav-secret", resource: true},
		"res-private":  {secret: "res-private-secret", resource: true},
	}
}

// exampleClients builds the example storage's clients for the policies:
// confidential web clients with HTTP Basic authentication.
func exampleClients(policies map[string]clientPolicy) map[string]*storage.Client {
	clients := make(map[string]*storage.Client, len(policies))
	for id, p := range policies {
		// The redirect URIs come from client.RedirectURIGlobs; this entry
		// only keeps WebClient from registering its default one.
		clients[id] = storage.WebClient(id, p.secret, "http://127.0.0.1/unused")
	}
	return clients
}

// client wraps the example's op.Client with the rules the tests need.
type client struct {
	op.Client
	policy clientPolicy
}

var _ op.HasRedirectGlobs = client{}

// RedirectURIs implements op.Client: no fixed URIs, only the loopback globs.
func (c client) RedirectURIs() []string { return nil }

// RedirectURIGlobs implements op.HasRedirectGlobs: tests run Pforte on
// random loopback ports, so any port is accepted for /auth/callback.
func (c client) RedirectURIGlobs() []string {
	if c.policy.signsInNobody() {
		return nil
	}
	return loopbackGlobs("/auth/callback")
}

// PostLogoutRedirectURIGlobs implements op.HasRedirectGlobs: any path (up to
// four segments) on a loopback port. Out of the box the example registers
// none and end_session answers 400.
func (c client) PostLogoutRedirectURIGlobs() []string {
	if c.policy.signsInNobody() {
		return nil
	}
	return loopbackGlobs("/*", "/*/*", "/*/*/*", "/*/*/*/*")
}

// GrantTypes implements op.Client.
func (c client) GrantTypes() []oidc.GrantType {
	if c.policy.signsInNobody() {
		return nil
	}
	if len(c.policy.exchangeAudiences) > 0 {
		return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken, oidc.GrantTypeTokenExchange}
	}
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}

// ResponseTypes implements op.Client: the code flow only.
func (c client) ResponseTypes() []oidc.ResponseType {
	if c.policy.signsInNobody() {
		return nil
	}
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

// IsScopeAllowed implements op.Client; without it the `groups` scope would
// be dropped from the request.
func (c client) IsScopeAllowed(scope string) bool { return scope == scopeGroups }

// IDTokenUserinfoClaimsAssertion implements op.Client: name, email and
// groups go into the ID token even though an access token is issued, as
// Keycloak does by default.
func (c client) IDTokenUserinfoClaimsAssertion() bool { return true }

// loopbackGlobs returns redirect URI patterns for 127.0.0.1 and localhost on
// any port followed by one of the path patterns. The port is spelled as one
// to five digit classes rather than `*`, because `*` would also match
// "1@attacker.example" and turn the host into user info.
func loopbackGlobs(paths ...string) []string {
	var globs []string
	for _, host := range []string{"127.0.0.1", "localhost"} {
		for digits := 1; digits <= 5; digits++ {
			port := strings.Repeat("[0-9]", digits)
			for _, p := range paths {
				globs = append(globs, "http://"+host+":"+port+p)
			}
		}
	}
	return globs
}
