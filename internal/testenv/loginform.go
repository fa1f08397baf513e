package testenv

import (
	"net/url"
)

// LoginForm finds the provider's login form in an HTML page (for tests that
// drive Pforte's own sign-in with an HTTP client) and returns its absolute
// action URL and prefilled fields; set "username" and "password" and post it.
func LoginForm(body []byte, base *url.URL) (action string, fields url.Values, err error) {
	f, err := parseLoginForm(body, base)
	return f.action, f.fields, err
}
