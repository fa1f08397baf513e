package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/reminders"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/tenant"
)

// startReminders runs the meeting reminder scheduler (every instance takes
// part; each reminder goes out once) for the tenants that offer reminders,
// until stop is called. Bearer tenants need bearer (the offline-token
// store, its "no token kept" errors mapped to reminders.ErrNoCredential)
// for people who are away; nil: their reminders go out only while they
// have Pforte open, and settings says why they paused.
func startReminders(ctx context.Context, cfg *config.Config, st store.Store, tenants *tenant.Registry, keys map[string]*push.VAPIDKeys,
	snaps reminders.Snapshots, bearer reminders.BearerTokens, xchg map[string]accounts.Exchanger, accountSealer *auth.Sealer, client *http.Client, log *slog.Logger) (stop func(), err error) {
	pushClient := push.NewHTTPClient()
	creds := reminders.ResolverCredentials{Resolvers: accounts.Resolvers(tenants.Configs(), st, accountSealer, xchg), Bearer: bearer}
	s := &reminders.Scheduler{Store: st, Creds: creds, Snapshots: snaps, Now: time.Now, Logger: log}
	for _, t := range tenants.All() {
		if !t.RemindersOn() {
			continue
		}
		// One day is enough: a plan looks less than an hour ahead.
		cal, err := calendar.New(calendar.Options{URL: t.Calendar.URL, WebURL: t.Calendar.WebURL, WebItemURL: t.Calendar.WebItemURL,
			Days: 1, Location: t.Location, HTTPClient: client, Logger: log.With("tenant", t.ID, "source", "reminders")})
		if err != nil {
			return nil, fmt.Errorf("reminders: tenant %s calendar: %w", t.ID, err)
		}
		sender, err := push.NewSender(push.Config{Keys: keys[t.ID], Subject: cmp.Or(cfg.Push.Subject, "https://"+t.Hosts[0]), Client: pushClient})
		if err != nil {
			return nil, fmt.Errorf("reminders: tenant %s: %w", t.ID, err)
		}
		s.Tenants = append(s.Tenants, reminders.Tenant{ID: t.ID, Calendar: cal, Sender: sender, Push: t.Push, Location: t.Location,
			Lang: t.DefaultLocale, Origin: "https://" + t.Hosts[0]})
	}
	return background(ctx, s.Run), nil
}

// keptTokens lets reminders use the refresh tokens kept for people who are
// away (oidc.offline_access); without one kept, reminders.ErrNoCredential.
type keptTokens struct{ a *offline.Access }

func (k keptTokens) AccessToken(ctx context.Context, tenant, subject string) (string, error) {
	tok, err := k.a.AccessToken(ctx, tenant, subject)
	if errors.Is(err, offline.ErrNotKept) || errors.Is(err, offline.ErrNotEnabled) {
		return "", reminders.ErrNoCredential
	}
	return tok, err
}
