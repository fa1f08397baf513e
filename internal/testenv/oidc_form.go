package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// loginForm is an HTML form with a password field, ready to submit.
type loginForm struct {
	action string
	fields url.Values
}

// parseLoginForm finds the first form with a password field in an HTML
// page and returns its absolute action URL and its prefilled fields
// (hidden inputs such as the authorization request ID).
func parseLoginForm(body []byte, base *url.URL) (loginForm, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return loginForm{}, fmt.Errorf("parse HTML: %w", err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "form" {
			continue
		}
		form := loginForm{fields: url.Values{}}
		hasPassword := false
		for in := range n.Descendants() {
			if in.Type != html.ElementNode || in.Data != "input" {
				continue
			}
			name := attr(in, "name")
			if strings.EqualFold(attr(in, "type"), "password") {
				hasPassword = true
			}
			if name != "" {
				form.fields.Set(name, attr(in, "value"))
			}
		}
		if !hasPassword {
			continue
		}
		action, err := base.Parse(attr(n, "action"))
		if err != nil {
			return loginForm{}, fmt.Errorf("form action: %w", err)
		}
		form.action = action.String()
		return form, nil
	}
	return loginForm{}, errors.New("no form with a password field")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
