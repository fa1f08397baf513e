package push_test

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/push"
)

// FuzzParseSubscription: no body a browser (or an attacker) posts panics the
// parser; what it accepts is an https endpoint on a push service or on an
// allowlisted host, never an IP address otherwise, and every refusal names
// the field.
func FuzzParseSubscription(f *testing.F) {
	const keys = `"keys":{"p256dh":"BAwGK7KaPN2B8BPnHj7GI_3V-jG8-jmC6W_CwmTczCbl-XJIkqtHyg1cNInCpARdWaTZB8ZkUPRqVNeTJ3SBt9Y","auth":"HNSVYGmJfz6cZ4kT3ffA8w"}`
	for _, s := range []string{
		`{"endpoint":"https://fcm.googleapis.com/fcm/send/abc",` + keys + `}`,
		`{"endpoint":"https://web.push.apple.com/QGH5","expirationTime":null,` + keys + `}`,
		`{"endpoint":"https://push.test.internal/x",` + keys + `}`,
		`{"endpoint":"https://10.0.0.1/x",` + keys + `}`,
		`{"endpoint":"https://user@fcm.googleapis.com/x",` + keys + `}`,
		`{"endpoint":"http://fcm.googleapis.com/x","expirationTime":-1,"keys":{}}`,
		`{"endpoint":"https://evil.example.push.apple.com.evil/x"}`,
		`[]`, `null`, `{"keys":"x"}`,
	} {
		f.Add([]byte(s))
	}
	allow := []string{"push.test.internal"}
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := push.ParseSubscription(data, allow)
		if err != nil {
			var fe *push.FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		u, perr := url.Parse(sub.Endpoint)
		if perr != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			t.Fatalf("accepted endpoint %q", sub.Endpoint)
		}
		name := strings.ToLower(u.Hostname())
		if net.ParseIP(name) != nil && name != "push.test.internal" {
			t.Fatalf("accepted an IP endpoint %q", sub.Endpoint)
		}
	})
}
