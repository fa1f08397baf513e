package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

// runProxy starts the counting proxies and a /counts endpoint on
// 127.0.0.1 and writes shell exports of their addresses to -env.
func runProxy(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("proxy", flag.ContinueOnError)
	imapAddr := fs.String("imap", "", "Dovecot's host:port")
	caldav := fs.String("caldav", "", "Radicale's base URL")
	webdav := fs.String("webdav", "", "the WebDAV server's base URL")
	envFile := fs.String("env", "", "file to write MORNING_* exports to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *imapAddr == "" || *caldav == "" || *webdav == "" || *envFile == "" {
		return errors.New("proxy: -imap, -caldav, -webdav and -env are required")
	}
	c := newCounter()
	listen := func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
	var servers []*http.Server
	serve := func(h http.Handler) (string, error) {
		ln, err := listen()
		if err != nil {
			return "", fmt.Errorf("proxy: listen: %w", err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() { _ = srv.Serve(ln) }()
		return "http://" + ln.Addr().String(), nil
	}
	imapLn, err := listen()
	if err != nil {
		return fmt.Errorf("proxy: listen: %w", err)
	}
	defer imapLn.Close()
	go serveIMAP(c, "imap", imapLn, *imapAddr)
	exports := map[string]string{"MORNING_IMAP_ADDR": imapLn.Addr().String()}
	for name, target := range map[string]string{"caldav": *caldav, "webdav": *webdav} {
		u, err := url.Parse(target)
		if err != nil {
			return fmt.Errorf("proxy: -%s: %w", name, err)
		}
		base, err := serve(httpProxy(c, name, &url.URL{Scheme: u.Scheme, Host: u.Host}))
		if err != nil {
			return err
		}
		exports["MORNING_"+map[string]string{"caldav": "CALDAV", "webdav": "WEBDAV"}[name]+"_BASE"] = base
	}
	counts, err := serve(c)
	if err != nil {
		return err
	}
	exports["MORNING_COUNTS_URL"] = counts + "/counts"
	var out string
	for k, v := range exports {
		out += fmt.Sprintf("export %s=%s\n", k, v)
	}
	if err := os.WriteFile(*envFile, []byte(out), 0o600); err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	<-ctx.Done()
	for _, s := range servers {
		_ = s.Close()
	}
	return nil
}
