// Command oidc-provider is the OpenID Provider of Pforte's tests. It stands
// in for a city's Keycloak, which cannot be installed on the test machines:
// it wraps the example OP of github.com/zitadel/oidc/v3 (an OpenID Certified
// library) and adds what Pforte and Dovecot rely on. See README.md.
//
//	oidc-provider -addr 127.0.0.1:PORT -issuer http://127.0.0.1:PORT
//
// It listens on loopback only and logs requests (never tokens) to stderr.
//
// Users (password = login + "-pw"), with name, email, preferred_username
// and a `groups` claim (scope "groups") in the ID token, userinfo and
// introspection; `username` in introspection is the login name:
//
//	alice  Anna Schmidt   [staff hr]
//	bob    Bernd Huber    [staff it-admins]
//	carol  Carla Özdemir  [staff]
//
// Clients: pforte / pforte-secret and pforte-b / pforte-b-secret
// (confidential, code flow with PKCE, refresh tokens with offline_access,
// redirect URI http://{127.0.0.1,localhost}:ANY/auth/callback, post-logout
// redirect URIs on any loopback port and path); pforte-short /
// pforte-short-secret, the same but its access tokens expire after 2 s;
// pforte-soon / pforte-soon-secret, access tokens live 30 s (always inside
// Pforte's one-minute refresh window);
// dovecot / dovecot-secret, which signs in nobody but may introspect every
// client's tokens at /oauth/introspect (HTTP Basic).
//
// ID tokens carry a `sid`. end_session with id_token_hint revokes every
// token of that session: introspection then answers active=false.
//
// Test-only endpoint: POST /test/logout-token (loopback only) with form
// fields aud, sub and/or sid, and optionally iss, events (JSON), nonce,
// expires_in answers a Back-Channel Logout 1.0 logout token signed with the
// provider's JWKS key. POST /test/stall-refresh with refresh_token makes
// the token endpoint hang on that token's refreshes until the client gives
// up; GET with the same field answers "seen N abandoned M" (stall.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "oidc-provider:", err)
		os.Exit(1)
	}
}

// run serves the provider until ctx ends.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("oidc-provider", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9998", "listen address `host:port` (loopback only)")
	issuer := fs.String("issuer", "", "issuer URL (default http://ADDR)")
	loadUsers := fs.Int("load-users", 0, "also offer load0001 … loadN (password NAME-pw, group staff) for load scripts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *issuer == "" {
		*issuer = "http://" + *addr
	}
	if err := checkConfig(*addr, *issuer); err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	st := newStore(testUsers().withLoadUsers(*loadUsers), testClients())
	mux := http.NewServeMux()
	mux.Handle("/test/logout-token", logoutTokenHandler(*issuer, st))
	mux.Handle("/test/revoke-grants", revokeGrantsHandler(st))
	stalled := newStalls(exampleop.SetupServer(*issuer, st, logger, false))
	mux.Handle("/test/stall-refresh", stalled.control())
	mux.Handle("/", stalled)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("oidc-provider listening", "addr", ln.Addr().String(), "issuer", *issuer)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// checkConfig refuses a non-loopback listen address and a malformed issuer.
func checkConfig(addr, issuer string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: only loopback addresses are allowed", addr)
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return fmt.Errorf("-issuer %q: %w", issuer, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("-issuer %q: want http(s)://host:port", issuer)
	}
	return nil
}
