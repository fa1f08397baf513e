package upstream

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// placeholder is {user} or {claim:NAME} in a source URL.
var placeholder = regexp.MustCompile(`\{(user|claim:[A-Za-z0-9_.-]+)\}`)

// ExpandURL fills a source URL template for cred: {user} is the login
// name, {claim:NAME} the user's claim NAME from the sign-in (openDesk's
// Nextcloud knows users by opendesk_objectid). Values are path-escaped; one
// that is empty or could leave its path segment ("", ".", "..", "/") is a
// KindNotSetUp error naming the placeholder, so no other folder is reached.
func ExpandURL(source, tmpl string, cred Credential) (string, error) {
	var bad string
	out := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := strings.Trim(m, "{}")
		v := cred.Username
		if claim, ok := strings.CutPrefix(name, "claim:"); ok {
			v = cred.Claims[claim]
		}
		if v == "" || v == "." || v == ".." || strings.ContainsAny(v, "/\\") {
			bad = m
		}
		return url.PathEscape(v)
	})
	if bad != "" {
		return "", &Error{Source: source, Kind: KindNotSetUp,
			Err: fmt.Errorf("URL placeholder %s has no usable value for this user", bad)}
	}
	return out, nil
}

// ProbeURL is tmpl with every placeholder replaced by a sample value, for
// checking the rest of the URL once at start.
func ProbeURL(tmpl string) string { return placeholder.ReplaceAllString(tmpl, "user") }
