package accounts

import "gitlab.opencode.de/pforte/pforte/internal/upstream"

// Why an app password was not stored, as the settings page says it.
const (
	RefusedAuth        = "auth"        // "Passwort falsch"
	RefusedUnreachable = "unreachable" // "Server nicht erreichbar"
)

// Refusal is why a tried app password is not stored: "" when the source
// accepted it (err is nil), RefusedAuth when it refused the login,
// RefusedUnreachable for anything else.
func Refusal(err error) string {
	switch {
	case err == nil:
		return ""
	case upstream.KindOf(err) == upstream.KindAuth:
		return RefusedAuth
	}
	return RefusedUnreachable
}

// KnownRefusal keeps only the reasons the page knows (it is a query value).
func KnownRefusal(q string) string {
	if q == RefusedAuth || q == RefusedUnreachable {
		return q
	}
	return ""
}
