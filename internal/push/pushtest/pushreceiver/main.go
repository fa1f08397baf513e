// Command pushreceiver runs the fake push service in its own process for
// scripts/bench-push.sh, so each sender's CPU time is measured without the
// receiver's. It runs in Fast mode: headers and the VAPID key are checked,
// signatures and payloads are not (see pushtest.Options.Fast).
//
//	pushreceiver -n 10000 -dir DIR [-http2]
//
// With -strict it decrypts every message and verifies its VAPID signature
// instead (what a real push service and browser do), for one strict round.
//
// It writes DIR/subs.json (PushSubscription JSON), DIR/vapid.json (the key
// pair the subscriptions are bound to), DIR/ca.pem, DIR/count-url (a plain
// HTTP URL on loopback answering {"accepted": N, "refused": M}: the
// receiver's own count, to compare with what a sender counted), then
// DIR/ready, and serves until SIGTERM or SIGINT.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

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
	strict := fs.Bool("strict", false, "decrypt and verify every message (not Fast mode)")
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
	srv := pushtest.New(pushtest.Options{Fast: !*strict, HTTP2: *h2})
	defer srv.Close()
	countURL, stopCount, err := serveCount(srv)
	if err != nil {
		return err
	}
	defer stopCount()
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
	if err := os.WriteFile(filepath.Join(*dir, "count-url"), []byte(countURL), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*dir, "ready"), []byte(srv.Origin()), 0o600); err != nil {
		return err
	}
	<-ctx.Done()
	fmt.Fprintf(os.Stderr, "pushreceiver: accepted %d messages\n", srv.Accepted())
	return nil
}

// serveCount answers the receiver's own counts on a loopback port of its own
// (not on the push service, whose every path is a subscription).
func serveCount(srv *pushtest.Server) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int64{"accepted": srv.Accepted(), "refused": int64(len(srv.Rejections()))})
	})
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/", func() { _ = hs.Close() }, nil
}
