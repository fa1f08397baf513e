package push

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Size limits for what a browser may hand us. Real endpoints are well under
// 1 KiB; the limits keep a hostile client from filling the store.
const (
	maxSubscriptionJSON = 4096
	maxEndpointLen      = 2048
	maxKeyLen           = 128
)

// Subscription is a browser's PushSubscription as PushSubscription.toJSON()
// serializes it.
type Subscription struct {
	Endpoint string `json:"endpoint"`
	// ExpirationTime is milliseconds since the epoch, or nil (browsers send
	// null: almost no push service sets it).
	ExpirationTime *int64 `json:"expirationTime,omitempty"`
	Keys           Keys   `json:"keys"`
}

// Keys are the receiver's keys from PushSubscription.getKey(), base64url.
type Keys struct {
	P256dh string `json:"p256dh"`
	Auth   string `json:"auth"`
}

// FieldError says which field of a subscription is invalid and why. Use
// errors.As to show Field and Reason to the client.
type FieldError struct {
	Field  string
	Reason string
}

// Error names the field, e.g. "push: invalid subscription: keys.auth: must be 16 bytes, base64url".
func (e *FieldError) Error() string {
	return "push: invalid subscription: " + e.Field + ": " + e.Reason
}

func fieldErr(field, reason string) error { return &FieldError{Field: field, Reason: reason} }

// isKnownService reports whether name is the push service of a browser
// Pforte supports: Chrome/Edge (FCM), Firefox, Safari and legacy Edge (WNS).
func isKnownService(name string) bool {
	if name == "fcm.googleapis.com" || name == "updates.push.services.mozilla.com" {
		return true
	}
	for _, suffix := range []string{".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com"} {
		if strings.HasSuffix(name, suffix) && len(name) > len(suffix) {
			return true
		}
	}
	return false
}

// ParseSubscription decodes the JSON of PushSubscription.toJSON() and
// validates it with Validate.
func ParseSubscription(data []byte, allowHosts []string) (Subscription, error) {
	var sub Subscription
	if len(data) > maxSubscriptionJSON {
		return sub, fieldErr("subscription", fmt.Sprintf("must be at most %d bytes", maxSubscriptionJSON))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&sub); err != nil {
		return Subscription{}, fieldErr("subscription", "must be the JSON of PushSubscription.toJSON()")
	}
	if err := Validate(sub, allowHosts); err != nil {
		return Subscription{}, err
	}
	return sub, nil
}

// Validate checks that sub can safely be sent to: an https endpoint on a real
// browser push service (or on a host in allowHosts, given as "host" or
// "host:port"), no user info, no IP address unless allowlisted (the server
// must not be steered to internal addresses), and well-formed receiver keys.
func Validate(sub Subscription, allowHosts []string) error {
	if err := validateEndpoint(sub.Endpoint, allowHosts); err != nil {
		return err
	}
	if len(sub.Keys.P256dh) > maxKeyLen {
		return fieldErr("keys.p256dh", "too long")
	}
	if _, err := parseP256Point(sub.Keys.P256dh); err != nil {
		return fieldErr("keys.p256dh", err.Error())
	}
	if len(sub.Keys.Auth) > maxKeyLen {
		return fieldErr("keys.auth", "too long")
	}
	if auth, err := decodeBase64(sub.Keys.Auth); err != nil || len(auth) != 16 {
		return fieldErr("keys.auth", "must be 16 bytes, base64url")
	}
	if sub.ExpirationTime != nil && *sub.ExpirationTime < 0 {
		return fieldErr("expirationTime", "must be null or a time in milliseconds")
	}
	return nil
}

func validateEndpoint(endpoint string, allowHosts []string) error {
	const f = "endpoint"
	if endpoint == "" {
		return fieldErr(f, "missing")
	}
	if len(endpoint) > maxEndpointLen {
		return fieldErr(f, fmt.Sprintf("must be at most %d bytes", maxEndpointLen))
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return fieldErr(f, "must be a URL")
	}
	if u.Scheme != "https" {
		return fieldErr(f, "must be https")
	}
	if u.User != nil {
		return fieldErr(f, "must not contain user info")
	}
	if u.Host == "" || u.Opaque != "" {
		return fieldErr(f, "must name a host")
	}
	if u.Fragment != "" {
		return fieldErr(f, "must not contain a fragment")
	}
	host := strings.ToLower(u.Host)
	name := strings.ToLower(u.Hostname())
	for _, a := range allowHosts {
		a = strings.ToLower(a)
		if a == host || (u.Port() == "" && a == name) {
			return nil
		}
	}
	if net.ParseIP(name) != nil {
		return fieldErr(f, "must not be an IP address")
	}
	if p := u.Port(); p != "" && p != "443" {
		return fieldErr(f, "must use the default https port")
	}
	if !isKnownService(name) {
		return fieldErr(f, "must be a known browser push service")
	}
	return nil
}
