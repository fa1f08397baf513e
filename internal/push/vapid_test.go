package push_test

import (
	"encoding/base64"
	"strings"
	"testing"

	webpush "github.com/SherClockHolmes/webpush-go"

	"gitlab.opencode.de/pforte/pforte/internal/push"
)

func TestVAPIDKeysRoundTrip(t *testing.T) {
	k, err := push.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := base64.RawURLEncoding.DecodeString(k.PublicKey())
	if len(pub) != 65 || pub[0] != 4 {
		t.Fatalf("public key for the page is not an uncompressed point: %d bytes", len(pub))
	}
	again, err := push.ParseVAPIDKeys(k.PrivateKey(), k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	derived, err := push.ParseVAPIDKeys(k.PrivateKey(), "")
	if err != nil {
		t.Fatal(err)
	}
	if again.PublicKey() != k.PublicKey() || derived.PublicKey() != k.PublicKey() {
		t.Fatal("parsed keys differ from the generated ones")
	}
	if strings.Contains(k.String(), k.PrivateKey()) {
		t.Fatal("String() leaks the private key")
	}
}

func TestParseVAPIDKeysForms(t *testing.T) {
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	rawPriv, _ := base64.RawURLEncoding.DecodeString(priv)
	for name, p := range map[string]string{
		"raw url":    priv,
		"padded url": base64.URLEncoding.EncodeToString(rawPriv),
		"std":        base64.StdEncoding.EncodeToString(rawPriv),
	} {
		k, err := push.ParseVAPIDKeys(p, pub)
		if err != nil || k.PublicKey() != pub {
			t.Errorf("%s: %v", name, err)
		}
	}
	other, _ := push.GenerateVAPIDKeys()
	bad := map[string][2]string{
		"mismatched public": {priv, other.PublicKey()},
		"short private":     {priv[:20], ""},
		"not base64":        {"not*base64!", ""},
		"zero scalar":       {base64.RawURLEncoding.EncodeToString(make([]byte, 32)), ""},
		"empty":             {"", ""},
	}
	for name, kp := range bad {
		if _, err := push.ParseVAPIDKeys(kp[0], kp[1]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
