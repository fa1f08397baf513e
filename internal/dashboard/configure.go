package dashboard

import (
	"fmt"
	"net/http"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
)

// SourcesFor builds a tenant's sources from its config, once at start:
// the registration of every source, in the order they are fetched.
// client is shared by the DAV connectors (connection reuse); per-request
// deadlines come from the context.
func SourcesFor(t *config.Tenant, client *http.Client) (Sources, error) {
	var s Sources
	if m := t.Mail; m != nil {
		c, err := mail.New(mail.Options{Addr: m.IMAP, TLS: m.TLS, WebURL: m.WebURL, MasterSeparator: m.MasterSeparator})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s mail: %w", t.ID, err)
		}
		s = append(s, Mail(c))
	}
	if cal := t.Calendar; cal != nil {
		c, err := calendar.New(calendar.Options{URL: cal.URL, WebURL: cal.WebURL, Location: t.Location, HTTPClient: client})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s calendar: %w", t.ID, err)
		}
		s = append(s, Calendar(c))
	}
	if f := t.Files; f != nil {
		c, err := files.New(files.Options{URL: f.URL, WebURL: f.WebURL, HTTPClient: client})
		if err != nil {
			return s, fmt.Errorf("dashboard: tenant %s files: %w", t.ID, err)
		}
		s = append(s, Files(c))
	}
	return s, nil
}
