package dashboard

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/notifications"
)

// SourcesFor builds a tenant's sources from its config, once at start:
// the registration of every source, in the order they are fetched.
// client is shared by the DAV connectors (connection reuse); per-request
// deadlines come from the context. Failed sources are logged and counted
// by failures (nil: not at all).
func SourcesFor(t *config.Tenant, client *http.Client, failures *Failures) (Sources, error) {
	var s Sources
	hosts := map[string]string{}
	if m := t.Mail; m != nil {
		hosts["mail"] = m.IMAP
		c, err := mail.New(mail.Options{Addr: m.IMAP, TLS: m.TLS, WebURL: m.WebURL, WebItemURL: m.WebItemURL, MasterSeparator: m.MasterSeparator})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s mail: %w", t.ID, err)
		}
		s = append(s, Mail(c))
	}
	if cal := t.Calendar; cal != nil {
		hosts["calendar"] = hostOf(cmp.Or(cal.URL, cal.WebURL))
		c, err := calendar.New(calendar.Options{URL: cal.URL, WebURL: cal.WebURL, WebItemURL: cal.WebItemURL, Location: t.Location, HTTPClient: client,
			Logger: failures.Logger().With("tenant", t.ID, "source", "calendar")})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s calendar: %w", t.ID, err)
		}
		s = append(s, Calendar(c))
	}
	if f := t.Files; f != nil {
		hosts["files"] = hostOf(f.URL)
		c, err := files.New(files.Options{URL: f.URL, WebURL: f.WebURL, WebItemURL: f.WebItemURL, HTTPClient: client})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s files: %w", t.ID, err)
		}
		s = append(s, Files(c))
	}
	if n := t.Notifications; n != nil {
		hosts["notifications"] = hostOf(n.URL)
		c, err := notifications.New(notifications.Options{URL: n.URL, HTTPClient: client})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s notifications: %w", t.ID, err)
		}
		s = append(s, Notifications(c, n.WebURL))
	}
	if report := failures.reporter(t.ID, hosts); report != nil {
		for i, src := range s {
			s[i] = reported{Source: src, report: report}
		}
	}
	return s, nil
}

// hostOf is the host:port of a configured URL, which logs may name.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
