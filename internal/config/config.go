// Package config parses and validates Pforte's one YAML file. The keys are a
// public contract that partner cities write: extend them, never rename them.
package config

import "time"

// Config is the whole file.
type Config struct {
	Listen    string `yaml:"listen"`
	SecretKey string `yaml:"secret_key"`
	// TrustedProxies (IPs or CIDRs) may set X-Forwarded-For/-Proto/-Host;
	// empty = trust no proxy headers, the Host header alone picks the tenant.
	TrustedProxies []string `yaml:"trusted_proxies"`
	BaseDir        string   `yaml:"-"` // directory of the config file; relative asset paths resolve against it
	Demo           bool     `yaml:"-"` // set only by Demo(); never from a file
	Store          Store    `yaml:"store"`
	Push           Push     `yaml:"push"`
	Dashboard      Timing   `yaml:"dashboard"`
	Tenants        []Tenant `yaml:"tenants"`

	// MetricsListen serves /metrics on its own address (e.g. ":9090" for
	// the cluster's scraper) and no longer on listen; MetricsToken, when
	// set, is required as "Authorization: Bearer" wherever /metrics answers.
	MetricsListen string `yaml:"metrics_listen"`
	MetricsToken  string `yaml:"metrics_token"`
}

// Store selects Redis (redis_url set) or the embedded bbolt file in data_dir.
type Store struct {
	RedisURL string `yaml:"redis_url"`
	DataDir  string `yaml:"data_dir"`
	// AllowVolatile lets Pforte become ready on a Redis that keeps no
	// persistence or evicts keys (trials and tests only): records would be
	// lost on a restart. See docs/store.md.
	AllowVolatile bool `yaml:"allow_volatile"`
}

// Push holds instance-wide web push settings.
type Push struct {
	Subject    string   `yaml:"subject"`     // VAPID contact: an e-mail address or https URL
	AllowHosts []string `yaml:"allow_hosts"` // extra push service hosts accepted at subscribe time
}

// Timing tunes the dashboard's upstream fetches.
type Timing struct {
	SourceTimeout Duration `yaml:"source_timeout"` // per source; default 4s
	CacheTTL      Duration `yaml:"cache_ttl"`      // fresh for; default 60s
}

// Tenant is one city (or department) with its own brand, sign-in and sources.
type Tenant struct {
	ID            string     `yaml:"id"`
	Hosts         []string   `yaml:"hosts"`
	Name          string     `yaml:"name"`
	ShortName     string     `yaml:"short_name"`
	DefaultLocale string     `yaml:"default_locale"`
	Timezone      string     `yaml:"timezone"`
	Theme         Theme      `yaml:"theme"`
	Legal         Legal      `yaml:"legal"`
	OIDC          *OIDC      `yaml:"oidc"`
	APITokens     []APIToken `yaml:"api_tokens"`
	Mail          *Mail      `yaml:"mail"`
	Calendar      *DAV       `yaml:"calendar"`
	Files         *DAV       `yaml:"files"`
	Apps          []App      `yaml:"apps"`
	Push          TenantPush `yaml:"push"`
	Retention     Retention  `yaml:"retention"`
	Reminders     Reminders  `yaml:"reminders"`

	// Navigation reads the app tiles from a Univention/Nubus portal's
	// central navigation instead of Apps; Notifications is the Nextcloud
	// notifications dashboard source (both in opendesk.go).
	Navigation    *Navigation    `yaml:"navigation"`
	Notifications *Notifications `yaml:"notifications"`

	Location *time.Location `yaml:"-"` // parsed Timezone
}

// Theme is the tenant's brand.
type Theme struct {
	PrimaryColor string `yaml:"primary_color"` // #rrggbb
	Logo         string `yaml:"logo"`          // file path relative to the config file (SVG or PNG)
	Icon         string `yaml:"icon"`          // square PNG, at least 512x512, for the app icons
}

// Legal links every public body must show.
type Legal struct {
	ImprintURL       string `yaml:"imprint_url"`
	PrivacyURL       string `yaml:"privacy_url"`
	AccessibilityURL string `yaml:"accessibility_url"` // optional; Pforte renders its own statement page otherwise
	FeedbackEmail    string `yaml:"feedback_email"`    // contact for accessibility feedback
}

// OIDC is the tenant's sign-in realm (e.g. a Keycloak realm).
type OIDC struct {
	Issuer       string `yaml:"issuer"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	GroupsClaim  string `yaml:"groups_claim"` // default "groups"
	// Scopes are requested in addition to openid, profile and email.
	// Empty: groups and offline_access where discovery lists them.
	Scopes      []string `yaml:"scopes"`
	AdminGroups []string `yaml:"admin_groups"`

	// URLClaims are the claims the tenant's source URLs name with
	// {claim:NAME}: kept from the sign-in in the session (set by validation).
	URLClaims []string `yaml:"-"`
	// OfflineAccess requests the offline_access scope and lets Pforte keep
	// a sealed refresh token for users who turned meeting reminders on, so
	// reminders reach them without an open session (internal/offline).
	OfflineAccess bool `yaml:"offline_access"`
}

// APIToken lets tooling (monitoring, ticket systems) post announcements.
// Only the SHA-256 of the token is kept in the config.
type APIToken struct {
	Name   string `yaml:"name"`
	SHA256 string `yaml:"sha256"`
}

// Mail is the tenant's IMAP server.
type Mail struct {
	IMAP            string `yaml:"imap"` // host:port
	TLS             string `yaml:"tls"`  // implicit | starttls | none
	Auth            string `yaml:"auth"` // bearer | password | master
	MasterUser      string `yaml:"master_user"`
	MasterPassword  string `yaml:"master_password"`
	MasterSeparator string `yaml:"master_separator"` // default "*"
	// MasterStyle is how the master login names the mailbox: "separator"
	// (Dovecot's "user*master", the default) or "authzid" (SASL PLAIN
	// authorisation identity, as Cyrus takes it).
	MasterStyle string `yaml:"master_style"`
	WebURL      string `yaml:"web_url"`
	// WebItemURL opens one message: {uid}, {message_id}, {folder} (see docs/config.md).
	WebItemURL string `yaml:"web_item_url"`

	// Audience is the client id of the IMAP server at the provider: with
	// auth: exchange, the user's token is exchanged for one of it (RFC 8693).
	Audience string `yaml:"audience"`
}

// DAV is a CalDAV or WebDAV source; URL may contain {user} and {claim:NAME}.
type DAV struct {
	URL    string `yaml:"url"`
	Auth   string `yaml:"auth"` // bearer | password
	WebURL string `yaml:"web_url"`
	// WebItemURL opens one event ({uid}, {href}, {date}) or file ({path},
	// {dir}, {name}, {fileid}); see docs/config.md.
	WebItemURL string `yaml:"web_item_url"`

	// Audience is the server's client id for auth: exchange (see Mail).
	Audience string `yaml:"audience"`
}

// App is a tile linking to a workplace app.
type App struct {
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"` // the label on English pages (default: name)
	URL    string `yaml:"url"`
	Icon   string `yaml:"icon"` // a built-in icon name (mail, calendar, files, chat, video, ...) or a file path
}

// TenantPush is a tenant's web push: its VAPID keys (generated once and kept
// in the store when not given), content-free mode and quiet hours.
type TenantPush struct {
	VAPIDPublicKey  string `yaml:"vapid_public_key"`
	VAPIDPrivateKey string `yaml:"vapid_private_key"`
	// ContentFree sends only the announcement id; the service worker fetches
	// the text from Pforte, so nothing readable passes the push services.
	ContentFree bool        `yaml:"content_free"`
	QuietHours  *QuietHours `yaml:"quiet_hours"`
}

// QuietHours hold back non-critical pushes: daily from Start to End (in the
// tenant's time zone; Start after End spans midnight) and, with Weekends,
// all of Saturday and Sunday.
type QuietHours struct {
	Start    string `yaml:"start"` // "18:00"
	End      string `yaml:"end"`   // "07:00"
	Weekends bool   `yaml:"weekends"`
}

// Duration is a time.Duration written as "4s" in YAML.
type Duration struct{ time.Duration }

// UnmarshalText parses Go duration syntax.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}
