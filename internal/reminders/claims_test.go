package reminders

import (
	"context"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
)

// openDesk's calendar URL names the user by a sign-in claim
// ({claim:opendesk_objectid}). The scheduler reads the calendar while the
// person has no session, so the setting keeps the claims of the sign-in it
// was saved with: the reminder arrives. Settings tell apart a setting that
// lacks the claim (Pforte cannot read the calendar) from a calendar that
// refuses the app password.
func TestReminderWithClaimInCalendarURL(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice", "bob")
	// The same collections, now found through a claim instead of {user}.
	r.useCalendarURL(r.caldav + "{claim:opendesk_objectid}/" + r.calName + "/")

	t0 := r.clock.Now()
	start := t0.Add(12 * time.Minute)
	r.putEvent("alice", "standup.ics", meeting("claim-1", "Jour fixe Digitalisierung", start))
	sub := r.device("alice")
	// Saved from the settings form of a session whose sign-in carried the claim.
	// Carol's setting lacks the claim (her sign-in had none): settings
	// must say that Pforte cannot read her calendar, not that it refused.
	save := func(subject string, claims map[string]string) {
		t.Helper()
		if v, err := Submit(context.Background(), r.st, subject, "login", claims, "de",
			func(k string) string { return map[string]string{"enabled": "on", "lead": "10", "scope": ScopeVideo}[k] }, t0); err != nil || v != nil {
			t.Fatalf("saving %s's setting: %v, %+v", subject, err, v)
		}
	}
	save("sub-alice", map[string]string{"opendesk_objectid": "alice"})
	save("sub-carol", nil)
	if err := r.acc.Connect(context.Background(), "sub-carol", "calendar", accounts.Account{Username: "alice", Password: r.users["alice"], ConnectedAt: t0}); err != nil {
		t.Fatal(err)
	}
	// Bob's app password no longer works: the calendar refuses it.
	save("sub-bob", map[string]string{"opendesk_objectid": "bob"})
	if err := r.acc.Connect(context.Background(), "sub-bob", "calendar", accounts.Account{Username: "bob", Password: "revoked", ConnectedAt: t0}); err != nil {
		t.Fatal(err)
	}

	s := r.scheduler()
	for _, d := range []time.Duration{0, 2 * time.Minute, 3 * time.Minute} {
		r.at(s, d, t0)
	}
	if got := r.received(sub); len(got) != 1 || got[0].Notification.Data.Join != "https://meet.jit.si/pforte-claim-1" {
		p, _ := NewPrefs(r.st).Get(context.Background(), "sub-alice")
		t.Fatalf("got %d pushes (%+v), want the one reminder; settings say stopped %q", len(got), got, p.Stopped)
	}
	for subject, want := range map[string]string{"sub-carol": ReasonNoCredential, "sub-bob": ReasonRefused, "sub-alice": ""} {
		if p, err := NewPrefs(r.st).Get(context.Background(), subject); err != nil || p.Stopped != want {
			t.Errorf("%s: settings say reminders stopped %q (%v), want %q", subject, p.Stopped, err, want)
		}
	}
}
