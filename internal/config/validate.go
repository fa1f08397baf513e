package config

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/itemurl"
)

var (
	tenantID  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
	hexColor  = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// validate returns every problem in the config, each with its path and a fix.
func (c *Config) validate() Problems {
	var ps Problems
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || !validPort(port) {
		ps.add("listen", fmt.Sprintf("%q is not host:port: write e.g. \":3000\" or \"127.0.0.1:3000\"", c.Listen))
	}
	for i, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				ps.add(fmt.Sprintf("trusted_proxies[%d]", i), fmt.Sprintf("%q is not an IP address or CIDR range (e.g. 10.0.0.0/8)", p))
			}
		}
	}
	if c.MetricsListen != "" {
		if _, port, err := net.SplitHostPort(c.MetricsListen); err != nil || port == "" {
			ps.add("metrics_listen", fmt.Sprintf("%q is not host:port: write e.g. \":9090\" (its own port, not the one of listen)", c.MetricsListen))
		} else if c.MetricsListen == c.Listen && port != "0" {
			ps.add("metrics_listen", "must differ from listen: it is a second address only the metrics scraper reaches")
		}
	}
	if t := c.MetricsToken; t != "" && len(t) < 16 {
		ps.add("metrics_token", "must be at least 16 bytes: generate one with `openssl rand -base64 24` and write metrics_token: ${PFORTE_METRICS_TOKEN}")
	}
	if why := weakSecret(c.SecretKey); why != "" {
		ps.add("secret_key", why)
	}
	if u := c.Store.RedisURL; u != "" {
		scheme, _, ok := strings.Cut(u, "://")
		switch {
		case !ok:
			ps.add("store.redis_url", "must be a URL like redis://host:6379/0 (see docs/store.md)")
		case !slices.Contains([]string{"redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-cluster", "rediss-cluster"}, scheme):
			ps.add("store.redis_url", fmt.Sprintf("unknown scheme %q: use redis://, rediss://, redis-sentinel://, redis-cluster:// (rediss-… for TLS; see docs/store.md)", scheme))
		}
	}
	if s := c.Push.Subject; s != "" && !isEmail(s) && !strings.HasPrefix(s, "https://") {
		ps.add("push.subject", "must be a contact e-mail address (it@city.example) or an https URL")
	}
	for i, h := range c.Push.AllowHosts {
		if !validHost(h) {
			ps.add(fmt.Sprintf("push.allow_hosts[%d]", i), fmt.Sprintf("%q is not a host name (write push.example.org, without https://)", h))
		}
	}
	if c.Dashboard.SourceTimeout.Duration < 100*time.Millisecond || c.Dashboard.SourceTimeout.Duration > time.Minute {
		ps.add("dashboard.source_timeout", "must be between 100ms and 1m (default 4s)")
	}
	if len(c.Tenants) == 0 {
		ps.add("tenants", "at least one tenant is required: see the example in docs/config.md")
	}
	ids := map[string]int{}
	hosts := map[string]int{}
	for i := range c.Tenants {
		t := &c.Tenants[i]
		p := fmt.Sprintf("tenants[%d]", i)
		if !tenantID.MatchString(t.ID) {
			ps.add(p+".id", "must be 1-32 lowercase letters, digits or dashes, e.g. muenchen")
		} else if j, dup := ids[t.ID]; dup {
			ps.add(p+".id", fmt.Sprintf("%q is already used by tenants[%d]: ids must be unique", t.ID, j))
		} else {
			ids[t.ID] = i
		}
		if len(t.Hosts) == 0 {
			ps.add(p+".hosts", "list at least one host name this tenant answers on, e.g. portal.muenchen.de")
		}
		for j, h := range t.Hosts {
			hp := fmt.Sprintf("%s.hosts[%d]", p, j)
			if !validHost(h) {
				ps.add(hp, fmt.Sprintf("%q is not a host name (no scheme or path: portal.city.de)", h))
			} else if k, dup := hosts[h]; dup {
				ps.add(hp, fmt.Sprintf("%q is already a host of tenants[%d]: a host belongs to one tenant", h, k))
			} else {
				hosts[h] = i
			}
		}
		if strings.TrimSpace(t.Name) == "" {
			ps.add(p+".name", "is required: the portal's name shown to staff, e.g. \"Mitarbeiterportal München\"")
		}
		if n := len([]rune(t.ShortName)); n > 15 {
			ps.add(p+".short_name", fmt.Sprintf("is %d characters: keep it at most 15 so it fits under a home-screen icon", n))
		}
		if t.DefaultLocale != "de" && t.DefaultLocale != "en" {
			ps.add(p+".default_locale", fmt.Sprintf("%q is not supported: use de or en", t.DefaultLocale))
		}
		if loc, err := time.LoadLocation(t.Timezone); err != nil {
			ps.add(p+".timezone", fmt.Sprintf("%q is not an IANA time zone: use e.g. Europe/Berlin", t.Timezone))
		} else {
			t.Location = loc
		}
		ps = append(ps, t.validateBrand(p, c.BaseDir)...)
		ps = append(ps, t.validateAuth(p)...)
		ps = append(ps, t.validateSources(p)...)
		ps = append(ps, t.validateOpenDesk(p)...)
		ps = append(ps, t.validatePush(p)...)
		ps = append(ps, t.Retention.validate(p)...)
	}
	return ps
}

func (t *Tenant) validateBrand(p, baseDir string) Problems {
	var ps Problems
	if !hexColor.MatchString(t.Theme.PrimaryColor) {
		ps.add(p+".theme.primary_color", fmt.Sprintf("%q is not a colour: write #rrggbb, e.g. \"#00508c\" (quote it: # starts a YAML comment)", t.Theme.PrimaryColor))
	}
	if t.Theme.Logo != "" {
		if msg := checkAsset(baseDir, t.Theme.Logo, []string{".svg", ".png"}); msg != "" {
			ps.add(p+".theme.logo", msg)
		}
	}
	if t.Theme.Icon != "" {
		if msg := checkAsset(baseDir, t.Theme.Icon, []string{".png"}); msg != "" {
			ps.add(p+".theme.icon", msg)
		}
	}
	checkURL(&ps, p+".legal.imprint_url", t.Legal.ImprintURL, false)
	checkURL(&ps, p+".legal.privacy_url", t.Legal.PrivacyURL, false)
	checkURL(&ps, p+".legal.accessibility_url", t.Legal.AccessibilityURL, false)
	if e := t.Legal.FeedbackEmail; e != "" && !isEmail(e) {
		ps.add(p+".legal.feedback_email", fmt.Sprintf("%q is not an e-mail address", e))
	}
	for i, a := range t.Apps {
		ap := fmt.Sprintf("%s.apps[%d]", p, i)
		if strings.TrimSpace(a.Name) == "" {
			ps.add(ap+".name", "is required: the tile's label, e.g. \"E-Mail\"")
		}
		if a.URL == "" {
			ps.add(ap+".url", "is required: the https address the tile opens")
		} else {
			checkURL(&ps, ap+".url", a.URL, false)
		}
	}
	return ps
}

func (t *Tenant) validateAuth(p string) Problems {
	var ps Problems
	if o := t.OIDC; o != nil {
		if o.Issuer == "" {
			ps.add(p+".oidc.issuer", "is required: the realm URL, e.g. https://id.city.de/realms/staff")
		} else {
			checkURL(&ps, p+".oidc.issuer", o.Issuer, false)
		}
		if o.ClientID == "" {
			ps.add(p+".oidc.client_id", "is required: the client id registered for Pforte at the provider")
		}
		if o.ClientSecret == "" {
			ps.add(p+".oidc.client_secret", "is required: write client_secret: ${PFORTE_OIDC_SECRET} and set that variable")
		}
	}
	names := map[string]bool{}
	for i, tok := range t.APITokens {
		tp := fmt.Sprintf("%s.api_tokens[%d]", p, i)
		if tok.Name == "" {
			ps.add(tp+".name", "is required so the audit log can say who posted")
		} else if names[tok.Name] {
			ps.add(tp+".name", fmt.Sprintf("%q is used twice: names must be unique", tok.Name))
		}
		names[tok.Name] = true
		if b, err := hex.DecodeString(tok.SHA256); err != nil || len(b) != 32 {
			ps.add(tp+".sha256", "must be 64 hex characters: the SHA-256 of the token, e.g. `printf %s \"$TOKEN\" | sha256sum`")
		}
	}
	return ps
}

func (t *Tenant) validateSources(p string) Problems {
	var ps Problems
	if m := t.Mail; m != nil {
		if _, port, err := net.SplitHostPort(m.IMAP); err != nil || port == "" {
			ps.add(p+".mail.imap", fmt.Sprintf("%q is not host:port: write e.g. imap.city.de:993", m.IMAP))
		}
		oneOf(&ps, p+".mail.tls", m.TLS, "implicit", "starttls", "none")
		oneOf(&ps, p+".mail.auth", m.Auth, "bearer", "password", "master", AuthExchange)
		t.checkAudience(&ps, p+".mail", m.Auth, m.Audience)
		oneOf(&ps, p+".mail.master_style", m.MasterStyle, "separator", "authzid")
		if m.Auth == "master" && (m.MasterUser == "" || m.MasterPassword == "") {
			ps.add(p+".mail", "auth: master needs master_user and master_password (write master_password: ${PFORTE_IMAP_MASTER_PASSWORD})")
		}
		t.needsOIDC(&ps, p+".mail.auth", m.Auth)
		checkURL(&ps, p+".mail.web_url", m.WebURL, true)
		checkItemURL(&ps, p+".mail.web_item_url", m.WebItemURL, itemurl.Mail())
	}
	for name, d := range map[string]*DAV{"calendar": t.Calendar, "files": t.Files} {
		if d == nil {
			continue
		}
		if d.URL == "" {
			ps.add(p+"."+name+".url", "is required: the DAV address, {user} is replaced by the login name")
		} else {
			t.checkPlaceholders(&ps, p+"."+name+".url", d.URL)
			checkURL(&ps, p+"."+name+".url", anyPlaceholder.ReplaceAllString(d.URL, "user"), false)
		}
		oneOf(&ps, p+"."+name+".auth", d.Auth, "bearer", "password", AuthExchange)
		t.checkAudience(&ps, p+"."+name, d.Auth, d.Audience)
		t.needsOIDC(&ps, p+"."+name+".auth", d.Auth)
		checkURL(&ps, p+"."+name+".web_url", d.WebURL, true)
		fields := itemurl.Calendar()
		if name == "files" {
			fields = itemurl.Files()
		}
		checkItemURL(&ps, p+"."+name+".web_item_url", d.WebItemURL, fields)
	}
	return ps
}

func (t *Tenant) needsOIDC(ps *Problems, path, auth string) {
	if auth == "bearer" && t.OIDC == nil {
		ps.add(path, "bearer passes the user's sign-in token on: it needs an oidc section in this tenant (or use password)")
	}
	if auth == AuthExchange && t.OIDC == nil {
		ps.add(path, "exchange trades the user's sign-in token at the provider: it needs an oidc section in this tenant (or use password)")
	}
}

func oneOf(ps *Problems, path, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	ps.add(path, fmt.Sprintf("%q is not allowed: use one of %s", v, strings.Join(allowed, ", ")))
}

// checkURL requires https, except http for loopback hosts (development and tests).
// With placeholders, {uid}-style templates are accepted.
func checkURL(ps *Problems, path, raw string, placeholders bool) {
	if raw == "" {
		return
	}
	if placeholders {
		raw = regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(raw, "x")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		ps.add(path, fmt.Sprintf("%q must be an absolute https URL", raw))
		return
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		ps.add(path, "must be an https URL (http only for localhost)")
	}
}

// checkItemURL checks a web_item_url template: known placeholders only,
// then the https rule of checkURL.
func checkItemURL(ps *Problems, path, raw string, fields []string) {
	if _, err := itemurl.Parse(raw, fields); err != nil {
		ps.add(path, fmt.Sprintf("%q: %v", raw, err))
		return
	}
	checkURL(ps, path, raw, true)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isEmail(s string) bool {
	s = strings.TrimPrefix(s, "mailto:")
	at := strings.LastIndex(s, "@")
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " <>\"")
}

// validHost accepts a DNS name or IP, optionally with :port, lowercase.
func validHost(h string) bool {
	host := h
	if hh, port, err := net.SplitHostPort(h); err == nil {
		if port == "" {
			return false
		}
		host = hh
	}
	if net.ParseIP(host) != nil {
		return true
	}
	if host == "" || len(host) > 253 || host != strings.ToLower(host) {
		return false
	}
	for _, l := range strings.Split(host, ".") {
		if !hostLabel.MatchString(l) {
			return false
		}
	}
	return true
}

// validPort reports whether port is a TCP port number (0: any free one).
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}
