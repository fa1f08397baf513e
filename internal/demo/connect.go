package demo

import (
	"context"
	"fmt"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// Connect points the demo tenant t at the running servers, so it reads the
// sample data through the same connectors as production, and connects the
// demo users' app passwords for them in accts (the "Konten verbinden"
// path, done in advance).
func (u *Upstreams) Connect(ctx context.Context, t *config.Tenant, accts *accounts.Store, now time.Time) error {
	t.Mail = &config.Mail{IMAP: u.IMAPAddr, TLS: "none", Auth: accounts.AuthPassword, WebURL: "https://webmail.musterstadt.example/#!!&app=io.ox/mail"}
	t.Calendar = &config.DAV{URL: u.CalDAVURL, Auth: accounts.AuthPassword, WebURL: "https://webmail.musterstadt.example/#!!&app=io.ox/calendar"}
	t.Files = &config.DAV{URL: u.WebDAVURL, Auth: accounts.AuthPassword, WebURL: "https://dateien.musterstadt.example/apps/files/?dir={dir}"}
	for login, pw := range u.Users {
		for _, src := range accounts.Sources {
			if accounts.NewResolver(t, accts).AuthOf(src) != accounts.AuthPassword {
				continue // a source the demo does not have
			}
			a := accounts.Account{Username: login, Password: pw, ConnectedAt: now}
			if err := accts.Connect(ctx, Subject(login), src, a); err != nil {
				return fmt.Errorf("demo: connect %s: %w", src, err)
			}
		}
	}
	return nil
}
