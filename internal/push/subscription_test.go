package push_test

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

func validKeys(t *testing.T) push.Keys {
	t.Helper()
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	return push.Keys{
		P256dh: base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()),
		Auth:   base64.RawURLEncoding.EncodeToString(auth),
	}
}

func TestValidateEndpoints(t *testing.T) {
	keys := validKeys(t)
	allow := []string{"push.test.internal", "127.0.0.1:8443"}
	good := []string{
		"https://fcm.googleapis.com/fcm/send/abc:APA91b",
		"https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
		"https://push-eu.push.services.mozilla.com/wpush/v2/x",
		"https://web.push.apple.com/QGH5",
		"https://db5p.notify.windows.com/w/?token=x",
		"https://FCM.googleapis.com:443/fcm/send/x",
		"https://push.test.internal/x",
		"https://127.0.0.1:8443/push/x",
	}
	for _, e := range good {
		if err := push.Validate(push.Subscription{Endpoint: e, Keys: keys}, allow); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	bad := []string{
		"",
		"http://fcm.googleapis.com/fcm/send/x",
		"https://user:pw@fcm.googleapis.com/x",
		"https://evil.example/fcm.googleapis.com",
		"https://fcm.googleapis.com.evil.example/x",
		"https://push.apple.com/x",
		"https://evilpush.apple.com/x",
		"https://notify.windows.com.evil/x",
		"https://fcm.googleapis.com:8080/x",
		"https://127.0.0.1/push/x",
		"https://127.0.0.1:9999/push/x",
		"https://[::1]:8443/x",
		"https://169.254.169.254/latest/meta-data",
		"https://10.0.0.1/x",
		"ftp://fcm.googleapis.com/x",
		"https:///x",
		"https://fcm.googleapis.com/x#frag",
		"https://fcm.googleapis.com/" + strings.Repeat("a", 2100),
		"::not a url",
	}
	for _, e := range bad {
		err := push.Validate(push.Subscription{Endpoint: e, Keys: keys}, allow)
		var fe *push.FieldError
		if !errors.As(err, &fe) || fe.Field != "endpoint" {
			t.Errorf("%q: err = %v, want an endpoint field error", e, err)
		}
	}
}

func TestValidateKeys(t *testing.T) {
	keys := validKeys(t)
	pt, _ := base64.RawURLEncoding.DecodeString(keys.P256dh)
	offCurve := append([]byte(nil), pt...)
	offCurve[64] ^= 1
	compressed := append([]byte{2 | pt[64]&1}, pt[1:33]...)
	enc := base64.RawURLEncoding.EncodeToString
	cases := []struct {
		name, p256dh, auth, field, reason string
	}{
		{"off curve", enc(offCurve), keys.Auth, "keys.p256dh", "curve"},
		{"compressed point", enc(compressed), keys.Auth, "keys.p256dh", "65 bytes"},
		{"missing p256dh", "", keys.Auth, "keys.p256dh", "65 bytes"},
		{"garbage p256dh", "!!!", keys.Auth, "keys.p256dh", "base64url"},
		{"auth 15 bytes", keys.P256dh, enc(make([]byte, 15)), "keys.auth", "16 bytes"},
		{"auth 17 bytes", keys.P256dh, enc(make([]byte, 17)), "keys.auth", "16 bytes"},
		{"auth missing", keys.P256dh, "", "keys.auth", "16 bytes"},
		{"auth huge", keys.P256dh, strings.Repeat("A", 5000), "keys.auth", "too long"},
	}
	for _, c := range cases {
		sub := push.Subscription{Endpoint: "https://fcm.googleapis.com/fcm/send/x", Keys: push.Keys{P256dh: c.p256dh, Auth: c.auth}}
		err := push.Validate(sub, nil)
		var fe *push.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Reason, c.reason) {
			t.Errorf("%s: err = %v, want field %s mentioning %q", c.name, err, c.field, c.reason)
		}
	}
	// Padded and standard base64 from older browsers/libraries are accepted.
	raw, _ := base64.RawURLEncoding.DecodeString(keys.Auth)
	sub := push.Subscription{Endpoint: "https://fcm.googleapis.com/x", Keys: push.Keys{P256dh: base64.StdEncoding.EncodeToString(pt), Auth: base64.URLEncoding.EncodeToString(raw)}}
	if err := push.Validate(sub, nil); err != nil {
		t.Errorf("padded keys: %v", err)
	}
}

func TestParseSubscriptionFromBrowserJSON(t *testing.T) {
	keys := validKeys(t)
	js := `{"endpoint":"https://fcm.googleapis.com/fcm/send/dX:APA91","expirationTime":null,"keys":{"p256dh":"` + keys.P256dh + `","auth":"` + keys.Auth + `"}}`
	sub, err := push.ParseSubscription([]byte(js), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Endpoint != "https://fcm.googleapis.com/fcm/send/dX:APA91" || sub.Keys != keys || sub.ExpirationTime != nil {
		t.Fatalf("parsed %+v", sub)
	}
	withExp := strings.Replace(js, "null", "1795000000000", 1)
	if sub, err = push.ParseSubscription([]byte(withExp), nil); err != nil || sub.ExpirationTime == nil || *sub.ExpirationTime != 1795000000000 {
		t.Fatalf("expirationTime: %+v %v", sub, err)
	}
	for name, bad := range map[string]string{
		"not json":  "endpoint=x",
		"too large": `{"endpoint":"` + strings.Repeat("a", 5000) + `"}`,
		"no keys":   `{"endpoint":"https://fcm.googleapis.com/x"}`,
		"bad host":  strings.Replace(js, "fcm.googleapis.com", "example.org", 1),
	} {
		if _, err := push.ParseSubscription([]byte(bad), nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The local push service is only acceptable when explicitly allowlisted:
// the production rule (no IP literals, known services only) stays in force.
func TestValidateLocalServiceNeedsAllowlist(t *testing.T) {
	srv := pushtest.NewServer(t)
	sub := srv.NewSubscription("")
	if err := push.Validate(sub, nil); err == nil {
		t.Fatal("subscription on 127.0.0.1 accepted without allowlist")
	}
	if err := push.Validate(sub, []string{srv.Host()}); err != nil {
		t.Fatalf("allowlisted local service refused: %v", err)
	}
}
