// Command loadlogin signs a user in to a running Pforte through the test
// OIDC provider's HTML login form (net/http with a cookie jar, no browser),
// warms the user's dashboard cache with one GET /api/dashboard and prints
// the session cookie as a Cookie header value for scripts/load-dashboard.sh.
//
//	loadlogin -base http://127.0.0.1:PORT -user alice -password alice-pw
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadlogin:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadlogin", flag.ContinueOnError)
	base := fs.String("base", "", "Pforte's base URL, e.g. http://127.0.0.1:3000")
	user := fs.String("user", "alice", "user at the OIDC provider")
	password := fs.String("password", "alice-pw", "their password")
	warm := fs.Bool("warm", true, "build the dashboard once after sign-in (false: leave the cache cold)")
	connect := fs.String("connect", "", "comma-separated sources (calendar,files) to connect with the same password in settings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" {
		return errors.New("-base is required")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	jar, err := cookiejar.New(nil)
	if err != nil {
		return fmt.Errorf("cookie jar: %w", err)
	}
	client := &http.Client{Jar: jar}

	// Pforte sends the signed-out user to the provider's login form.
	res, body, err := do(ctx, client, http.MethodGet, *base+"/", nil)
	if err != nil {
		return err
	}
	action, fields, err := testenv.LoginForm(body, res.Request.URL)
	if err != nil {
		return fmt.Errorf("no login form at %s (status %d): %w", res.Request.URL, res.StatusCode, err)
	}
	fields.Set("username", *user)
	fields.Set("password", *password)
	res, body, err = do(ctx, client, http.MethodPost, action, fields)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Request.URL.String(), *base) {
		return fmt.Errorf("sign-in ended at %s with %d:\n%.500s", res.Request.URL, res.StatusCode, body)
	}

	// Konten verbinden: app passwords for the password-auth sources.
	if *connect != "" {
		m := csrfMeta.FindSubmatch(body)
		if m == nil {
			return errors.New("start page has no csrf-token meta tag")
		}
		for _, src := range strings.Split(*connect, ",") {
			form := url.Values{"_csrf": {string(m[1])}, "username": {*user}, "password": {*password}}
			res, b, err := do(ctx, client, http.MethodPost, *base+"/settings/accounts/"+src, form)
			if err != nil {
				return err
			}
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("connect %s: %d %.300s", src, res.StatusCode, b)
			}
		}
	}

	if *warm {
		// One request builds the dashboard from the sources and caches it.
		res, body, err = do(ctx, client, http.MethodGet, *base+"/api/dashboard", nil)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("/api/dashboard: %d %.300s", res.StatusCode, body)
		}
		var d struct {
			Mail, Calendar, Files struct{ Status string }
		}
		if err := json.Unmarshal(body, &d); err != nil {
			return fmt.Errorf("/api/dashboard is not JSON: %w", err)
		}
		fmt.Fprintf(stderr, "loadlogin: %s signed in; dashboard %d bytes, mail %s, calendar %s, files %s\n",
			*user, len(body), d.Mail.Status, d.Calendar.Status, d.Files.Status)
	}

	u, err := url.Parse(*base)
	if err != nil {
		return fmt.Errorf("base: %w", err)
	}
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	if len(cookies) == 0 {
		return errors.New("no session cookie after sign-in")
	}
	fmt.Fprintln(stdout, strings.Join(cookies, "; "))
	return nil
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

func do(ctx context.Context, client *http.Client, method, target string, form url.Values) (*http.Response, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, target, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", req.URL.Scheme+"://"+req.URL.Host)
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, target, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: read: %w", method, target, err)
	}
	return res, raw, nil
}
