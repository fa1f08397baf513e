package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/demo"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// startDemo runs the demo's own IMAP, CalDAV and WebDAV servers on loopback
// and points the demo tenant at them, so the demo reads sample data through
// the same connectors as production. The demo users' app passwords are
// connected for them (the "Konten verbinden" path, done in advance).
func startDemo(ctx context.Context, cfg *config.Config, st store.Store, sealer *auth.Sealer, log *slog.Logger) (*demo.Upstreams, error) {
	t := &cfg.Tenants[0]
	ups, err := demo.Start(ctx, time.Now(), t.Location, log)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	t.Mail = &config.Mail{IMAP: ups.IMAPAddr, TLS: "none", Auth: "password", WebURL: "https://webmail.musterstadt.example/#!!&app=io.ox/mail"}
	t.Calendar = &config.DAV{URL: ups.CalDAVURL, Auth: "password", WebURL: "https://webmail.musterstadt.example/#!!&app=io.ox/calendar"}
	t.Files = &config.DAV{URL: ups.WebDAVURL, Auth: "password", WebURL: "https://dateien.musterstadt.example/apps/files/?dir={dir}"}
	accts := accounts.New(store.ForTenant(st, t.ID), t.ID, sealer)
	for login, pw := range ups.Users {
		for _, src := range accounts.Sources {
			a := accounts.Account{Username: login, Password: pw, ConnectedAt: time.Now()}
			if err := accts.Connect(ctx, "demo-"+login, src, a); err != nil {
				_ = ups.Close()
				return nil, fmt.Errorf("demo: connect %s: %w", src, err)
			}
		}
	}
	return ups, nil
}
