package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// startPushDispatcher sends announcements with push to the subscribed
// devices (once across instances, quiet hours held back) until stop is
// called; stop cancels what is in flight and waits for the workers.
func startPushDispatcher(ctx context.Context, cfg *config.Config, st store.Store, tenants *tenant.Registry, keys map[string]*push.VAPIDKeys, log *slog.Logger) (stop func(), err error) {
	client := push.NewHTTPClient()
	d := &notify.Dispatcher{Store: st, Now: time.Now, Logger: log}
	for _, t := range tenants.All() {
		subject := cfg.Push.Subject
		if subject == "" {
			// The VAPID contact push services may use when something is wrong.
			subject = "https://" + t.Hosts[0]
		}
		sender, err := push.NewSender(push.Config{Keys: keys[t.ID], Subject: subject, Client: client})
		if err != nil {
			return nil, fmt.Errorf("push: tenant %s: %w", t.ID, err)
		}
		d.Tenants = append(d.Tenants, notify.TenantPush{ID: t.ID, Sender: sender, Config: t.Push, Location: t.Location, Lang: t.DefaultLocale, Origin: "https://" + t.Hosts[0]})
	}
	return background(ctx, d.Run), nil
}
