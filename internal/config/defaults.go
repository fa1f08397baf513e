package config

import (
	"strings"
	"time"
)

// Defaults a city does not have to write.
const (
	DefaultListen        = ":3000"
	DefaultLocale        = "de"
	DefaultTimezone      = "Europe/Berlin"
	DefaultPrimaryColor  = "#00508c"
	DefaultGroupsClaim   = "groups"
	DefaultSourceTimeout = 4 * time.Second
	DefaultCacheTTL      = 60 * time.Second
	DefaultDataDir       = "data"
)

func (c *Config) applyDefaults(getenv func(string) string) {
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if p := getenv("PORT"); p != "" {
		c.Listen = withPort(c.Listen, p)
	}
	if c.Store.RedisURL == "" && c.Store.DataDir == "" {
		c.Store.DataDir = DefaultDataDir
	}
	if c.Dashboard.SourceTimeout.Duration == 0 {
		c.Dashboard.SourceTimeout.Duration = DefaultSourceTimeout
	}
	if c.Dashboard.CacheTTL.Duration == 0 {
		c.Dashboard.CacheTTL.Duration = DefaultCacheTTL
	}
	for i := range c.Tenants {
		t := &c.Tenants[i]
		for j, h := range t.Hosts {
			t.Hosts[j] = strings.ToLower(strings.TrimSpace(h))
		}
		if t.ShortName == "" {
			t.ShortName = defaultShortName(t.Name)
		}
		t.Retention.applyDefaults()
		if t.DefaultLocale == "" {
			t.DefaultLocale = DefaultLocale
		}
		if t.Timezone == "" {
			t.Timezone = DefaultTimezone
		}
		if t.Theme.PrimaryColor == "" {
			t.Theme.PrimaryColor = DefaultPrimaryColor
		}
		if t.OIDC != nil && t.OIDC.GroupsClaim == "" {
			t.OIDC.GroupsClaim = DefaultGroupsClaim
		}
		if t.Mail != nil {
			if t.Mail.TLS == "" {
				t.Mail.TLS = "implicit"
			}
			if t.Mail.MasterSeparator == "" {
				t.Mail.MasterSeparator = "*"
			}
			if t.Mail.MasterStyle == "" {
				t.Mail.MasterStyle = "separator"
			}
		}
	}
}

// withPort replaces the port of a host:port listen address (PORT env on
// Procfile platforms).
func withPort(listen, port string) string {
	if i := strings.LastIndex(listen, ":"); i >= 0 {
		return listen[:i+1] + port
	}
	return ":" + port
}

// defaultShortName fits a long name under a home-screen icon: the name itself
// when short, else its last word ("Mitarbeiterportal München" → "München").
func defaultShortName(name string) string {
	name = strings.TrimSpace(name)
	if len([]rune(name)) <= 15 {
		return name
	}
	f := strings.Fields(name)
	last := []rune(f[len(f)-1])
	return string(last[:min(len(last), 15)])
}
