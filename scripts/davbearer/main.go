// Command davbearer is the stack's audience-checking bearer front for the
// DAV servers that have no bearer login of their own (Radicale, rclone). It
// stands in for Nextcloud's user_oidc app, which accepts a bearer token only
// when its audience names Nextcloud's client and takes the user id from a
// configured claim (nextcloud/user_oidc, lib/User/Validator/SelfEncodedValidator.php:
// "This token is not for us, the audience does not match the client ID").
//
//	davbearer -addr 127.0.0.1:P -introspect http://ID:SECRET@OP/oauth/introspect \
//	  -audience res-caldav -backend http://127.0.0.1:R/ -passwords FILE \
//	  [-uid-claim opendesk_objectid -home /remote.php/dav/files/]
//
// Each request needs "Authorization: Bearer TOKEN". The token is
// introspected (RFC 7662) as client ID, which the provider answers with
// active=false unless the token's audience names ID; the front checks aud
// itself as well. Refused: 401 with WWW-Authenticate: Bearer
// error="invalid_token". With -home, only the user's own folder
// (HOME<uid>/...) is served, uid from -uid-claim (default: the login name),
// else 403. Accepted requests go to the backend unchanged, signed in as
// the login name with its password from FILE (lines "login:password").
// Tokens are never logged. Listens on loopback only.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "davbearer:", err)
		os.Exit(1)
	}
}

type front struct {
	introspect *url.URL
	audience   string
	uidClaim   string
	home       string
	passwords  map[string]string
	proxy      *httputil.ReverseProxy
	client     *http.Client
	log        *slog.Logger
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("davbearer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen `host:port` (loopback only)")
	introspect := fs.String("introspect", "", "introspection URL with this resource server's client credentials as user info")
	audience := fs.String("audience", "", "the client id a token's audience must name")
	backend := fs.String("backend", "", "the DAV server to forward to")
	passwords := fs.String("passwords", "", "file of login:password lines for the backend")
	uidClaim := fs.String("uid-claim", "username", "introspection claim that is the user id in -home paths")
	home := fs.String("home", "", "path prefix of user folders (e.g. /remote.php/dav/files/): only the user's own is served")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *introspect == "" || *audience == "" || *backend == "" || *passwords == "" {
		return errors.New("-introspect, -audience, -backend and -passwords are required")
	}
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: only loopback addresses are allowed", *addr)
	}
	iu, err := url.Parse(*introspect)
	if err != nil {
		return fmt.Errorf("-introspect: %w", err)
	}
	bu, err := url.Parse(*backend)
	if err != nil {
		return fmt.Errorf("-backend: %w", err)
	}
	pw, err := readPasswords(*passwords)
	if err != nil {
		return err
	}
	f := &front{introspect: iu, audience: *audience, uidClaim: *uidClaim, home: *home, passwords: pw,
		client: &http.Client{Timeout: 5 * time.Second},
		log:    slog.New(slog.NewTextHandler(stderr, nil))}
	f.proxy = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(bu)
		r.Out.URL.Path, r.Out.URL.RawPath = r.In.URL.Path, r.In.URL.RawPath // paths stay as they are
	}}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	f.log.Info("davbearer listening", "addr", ln.Addr().String(), "audience", *audience, "backend", *backend)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func readPasswords(path string) (map[string]string, error) {
	file, err := os.Open(path) // #nosec G304 -- the stack's own file
	if err != nil {
		return nil, fmt.Errorf("-passwords: %w", err)
	}
	defer file.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if login, pw, ok := strings.Cut(sc.Text(), ":"); ok {
			out[login] = pw
		}
	}
	return out, sc.Err()
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		refuse(w, "a bearer token is required")
		return
	}
	who, err := f.check(r.Context(), token)
	if err != nil {
		f.log.Info("refused", "method", r.Method, "why", err.Error())
		refuse(w, err.Error())
		return
	}
	if f.home != "" && strings.HasPrefix(r.URL.Path, f.home) {
		rest := strings.TrimPrefix(r.URL.Path, f.home)
		if seg, _, _ := strings.Cut(rest, "/"); seg != who.uid {
			http.Error(w, "not this user's folder", http.StatusForbidden)
			return
		}
	}
	pw, ok := f.passwords[who.login]
	if !ok {
		http.Error(w, "no backend account for this user", http.StatusForbidden)
		return
	}
	r.Header.Del("Authorization")
	r.SetBasicAuth(who.login, pw)
	f.proxy.ServeHTTP(w, r)
}

type identity struct{ login, uid string }

// check introspects token and requires it active and meant for this server.
func (f *front) check(ctx context.Context, token string) (identity, error) {
	u := *f.introspect
	u.User = nil
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(url.Values{"token": {token}}.Encode()))
	if err != nil {
		return identity{}, err
	}
	secret, _ := f.introspect.User.Password()
	req.SetBasicAuth(f.introspect.User.Username(), secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := f.client.Do(req)
	if err != nil {
		return identity{}, fmt.Errorf("introspection: %w", err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		return identity{}, fmt.Errorf("introspection: status %d", res.StatusCode)
	}
	if active, _ := body["active"].(bool); !active {
		return identity{}, errors.New("token inactive for this audience")
	}
	if !slices.Contains(audiences(body["aud"]), f.audience) {
		return identity{}, fmt.Errorf("the token's audience does not name %s", f.audience)
	}
	login, _ := body["username"].(string)
	uid, _ := body[f.uidClaim].(string)
	if login == "" || uid == "" {
		return identity{}, fmt.Errorf("introspection lacks username or %s", f.uidClaim)
	}
	return identity{login: login, uid: uid}, nil
}

func audiences(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func refuse(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description=%q`, why))
	http.Error(w, why, http.StatusUnauthorized)
}
