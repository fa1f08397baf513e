// Command pushreceiver runs the fake push service in its own process for
// scripts/bench-push.sh, so each sender's CPU time is measured without the
// receiver's. It runs in Fast mode: headers and the VAPID key are checked,
// signatures and payloads are not (see pushtest.Options.Fast).
//
//	pushreceiver -n 10000 -dir DIR [-http2]
//
// It writes DIR/subs.json (PushSubscription JSON), DIR/vapid.json (the key
// pair the subscriptions are bound to), DIR/ca.pem, then DIR/ready, and
// serves until SIGTERM or SIGINT.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pushreceiver:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("pushreceiver", flag.ContinueOnError)
	n := fs.Int("n", 10000, "number of subscriptions")
	dir := fs.String("dir", "", "directory for subs.json, vapid.json, ca.pem and ready")
	h2 := fs.Bool("http2", false, "offer HTTP/2")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("-dir is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	keys, err := push.GenerateVAPIDKeys()
	if err != nil {
		return err
	}
	srv := pushtest.New(pushtest.Options{Fast: true, HTTP2: *h2})
	defer srv.Close()
	subs := make([]push.Subscription, *n)
	for i := range subs {
		subs[i] = srv.NewSubscription(keys.PublicKey())
	}
	files := map[string]any{
		"subs.json":  subs,
		"vapid.json": map[string]string{"publicKey": keys.PublicKey(), "privateKey": keys.PrivateKey()},
	}
	for name, v := range files {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*dir, name), data, 0o600); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(*dir, "ca.pem"), srv.CertificatePEM(), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*dir, "ready"), []byte(srv.Origin()), 0o600); err != nil {
		return err
	}
	<-ctx.Done()
	fmt.Fprintf(os.Stderr, "pushreceiver: accepted %d messages\n", srv.Accepted())
	return nil
}
