package push_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// Mozilla's http_ece (the library behind Firefox's push service tooling and
// the web-push npm package) must decrypt what our sender produces: an
// independent check that we did not just agree with our own fake.
func TestHTTPECEDecryptsOurMessages(t *testing.T) {
	modules := testenv.Server(t, "PFORTE_TEST_NODE_MODULES")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not on PATH: %v", err)
	}
	srv := pushtest.NewServer(t)
	for _, pad := range []int{0, -1} {
		s, keys, _ := newSender(t, srv, func(c *push.Config) { c.PadBlock = pad })
		sub := srv.NewSubscription(keys.PublicKey())
		payload := []byte(`{"title":"Straßensperrung Münsterplatz","body":"Äußerst wichtig: Öffnungszeiten geändert – 7:30 Uhr"}`)
		if _, err := s.Send(context.Background(), sub, payload, push.Options{TTL: time.Hour}); err != nil {
			t.Fatal(err)
		}
		msgs := srv.Messages(sub)
		if len(msgs) != 1 {
			t.Fatalf("service refused the message: %+v", srv.Rejections())
		}
		priv, auth := srv.ReceiverKeys(sub)
		in, _ := json.Marshal(map[string]string{
			"body":       base64.RawURLEncoding.EncodeToString(msgs[0].Body),
			"privateKey": base64.RawURLEncoding.EncodeToString(priv.Bytes()),
			"authSecret": base64.RawURLEncoding.EncodeToString(auth),
		})
		cmd := exec.Command(node, filepath.Join(filepath.Dir(modules), "ece-decrypt.js"))
		cmd.Env = append(cmd.Environ(), "NODE_PATH="+modules)
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("http_ece (padding %d): %v: %s", pad, err, stderr.String())
		}
		got, err := base64.RawURLEncoding.DecodeString(string(out))
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("http_ece (padding %d) decrypted %q, want %q", pad, got, payload)
		}
	}
}
