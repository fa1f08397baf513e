package reminders

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// An opted-in person with a video meeting 12 minutes ahead gets exactly
// one push 10 minutes before it, with the join link to tap: on Redis and
// on the embedded store.
func TestReminderTenMinutesBefore(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, open(t), "alice")
			t0 := r.clock.Now()
			start := t0.Add(12 * time.Minute)
			r.putEvent("alice", "standup.ics", meeting("standup-1", "Jour fixe Bauamt", start))
			sub := r.device("alice")
			r.optIn("alice", 10, ScopeVideo)
			s := r.scheduler()

			r.at(s, 0, t0)
			r.at(s, time.Minute, t0)
			if got := r.received(sub); len(got) != 0 {
				t.Fatalf("a push %v before the reminder time: %+v", time.Minute, got)
			}
			st := r.at(s, 2*time.Minute, t0)
			for _, d := range []time.Duration{2 * time.Minute, 3 * time.Minute, 9 * time.Minute, 11 * time.Minute} {
				r.at(s, d, t0)
			}
			got := r.received(sub)
			if len(got) != 1 {
				t.Fatalf("got %d pushes, want exactly 1 (tick at +2 min: %+v)", len(got), st)
			}
			n := got[0].Notification
			join := "https://meet.jit.si/pforte-standup-1"
			if n.Title != "Besprechung in 10 Min." || !strings.Contains(n.Body, "Jour fixe Bauamt") || !strings.Contains(n.Body, start.Format("15:04")) {
				t.Errorf("notification text = %q / %q, want the lead time, the title and %s", n.Title, n.Body, start.Format("15:04"))
			}
			if n.Navigate != join || n.Data.Join != join {
				t.Errorf("navigate = %q, data.join = %q, want the join link %s", n.Navigate, n.Data.Join, join)
			}
			if len(n.Actions) != 2 || n.Actions[0].Action != "join" || n.Actions[0].Title != "Beitreten" || n.Actions[0].Navigate != join ||
				n.Actions[1].Action != "calendar" || n.Actions[1].Navigate != "https://cal.city.example/" {
				t.Errorf("actions = %+v, want Beitreten → join link, Kalender → web calendar", n.Actions)
			}
			if !strings.HasPrefix(n.Tag, "rem-") {
				t.Errorf("tag = %q, want rem-<occurrence>", n.Tag)
			}
		})
	}
}

// A meeting moved by 30 minutes before its reminder is reminded of at the
// new time, not the old one.
func TestReminderFollowsMovedMeeting(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	r.putEvent("alice", "m.ics", meeting("moved-1", "Haushalt", t0.Add(12*time.Minute)))
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)
	s := r.scheduler()
	r.at(s, 0, t0)
	moved := t0.Add(42 * time.Minute)
	r.putEvent("alice", "m.ics", meeting("moved-1", "Haushalt", moved))
	for d := time.Minute; d < 32*time.Minute; d += time.Minute {
		r.at(s, d, t0)
		if got := r.received(sub); len(got) != 0 {
			t.Fatalf("push at +%v for a meeting that moved to +42 min: %+v", d, got[0].Notification)
		}
	}
	r.at(s, 32*time.Minute, t0)
	r.at(s, 33*time.Minute, t0)
	got := r.received(sub)
	if len(got) != 1 || !strings.Contains(got[0].Notification.Body, moved.Format("15:04")) {
		t.Fatalf("got %d pushes (%+v), want one for the new time %s", len(got), got, moved.Format("15:04"))
	}
}

// A meeting deleted before its reminder is not reminded of.
func TestReminderDeletedMeeting(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	r.putEvent("alice", "d.ics", meeting("deleted-1", "Abgesagt", t0.Add(12*time.Minute)))
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)
	s := r.scheduler()
	r.at(s, 0, t0)
	r.deleteEvent("alice", "d.ics")
	var checked int
	for d := time.Minute; d <= 12*time.Minute; d += time.Minute {
		checked += r.at(s, d, t0).Checked
	}
	if checked == 0 {
		t.Fatal("the scheduled reminder was never checked against the calendar")
	}
	if got := r.received(sub); len(got) != 0 {
		t.Fatalf("push for a deleted meeting: %+v", got[0].Notification)
	}
}

// A daily series whose occurrence today was moved (RECURRENCE-ID) is
// reminded of at the moved time.
func TestReminderMovedOccurrenceOfSeries(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	orig := t0.Add(12 * time.Minute)
	first := orig.AddDate(0, 0, -3)
	moved := t0.Add(27 * time.Minute)
	ics := fmt.Sprintf(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//pforte//test//EN
BEGIN:VEVENT
UID:series-1
DTSTAMP:%[1]s
DTSTART:%[1]s
DTEND:%[2]s
RRULE:FREQ=DAILY;COUNT=10
SUMMARY:Tägliche Abstimmung
LOCATION:https://meet.jit.si/pforte-daily
END:VEVENT
BEGIN:VEVENT
UID:series-1
DTSTAMP:%[1]s
RECURRENCE-ID:%[3]s
DTSTART:%[4]s
DTEND:%[5]s
SUMMARY:Tägliche Abstimmung
LOCATION:https://meet.jit.si/pforte-daily
END:VEVENT
END:VCALENDAR
`, first.Format(stamp), first.Add(15*time.Minute).Format(stamp), orig.Format(stamp), moved.Format(stamp), moved.Add(15*time.Minute).Format(stamp))
	r.putEvent("alice", "series.ics", ics)
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)
	s := r.scheduler()
	for d := time.Duration(0); d < 17*time.Minute; d += time.Minute {
		r.at(s, d, t0)
		if got := r.received(sub); len(got) != 0 {
			t.Fatalf("push at +%v, want none before the moved occurrence's reminder at +17 min: %+v", d, got[0].Notification)
		}
	}
	r.at(s, 17*time.Minute, t0)
	got := r.received(sub)
	if len(got) != 1 || !strings.Contains(got[0].Notification.Body, moved.Format("15:04")) {
		t.Fatalf("got %d pushes (%+v), want one for the moved occurrence at %s", len(got), got, moved.Format("15:04"))
	}
}

// Two instances working on one Redis at the same moments send one push,
// even when one re-reads the person's calendar (the next plan) while the
// other checks the reminder.
func TestReminderOnceAcrossInstances(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	r.putEvent("alice", "m.ics", meeting("twice-1", "Personalrat", t0.Add(12*time.Minute)))
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)
	a, b := r.scheduler(), r.scheduler()
	a.PlanEvery, b.PlanEvery = 2*time.Minute, 2*time.Minute // the next plan falls on the reminder
	for _, d := range []time.Duration{0, 2 * time.Minute, 3 * time.Minute} {
		r.clock.Set(t0.Add(d))
		var wg sync.WaitGroup
		for _, s := range []*Scheduler{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); s.Tick(context.Background()) }()
		}
		wg.Wait()
	}
	if got := r.received(sub); len(got) != 1 {
		t.Fatalf("two instances sent %d pushes, want 1", len(got))
	}
}

// Nobody who did not opt in (or opted out again) gets a reminder, and
// only meetings with a video link count unless the person chose all.
func TestReminderOnlyForOptedIn(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice", "bob", "carol")
	t0 := r.clock.Now()
	for _, u := range []string{"alice", "bob", "carol"} {
		r.putEvent(u, "m.ics", meeting("m-"+u, "Sitzung", t0.Add(12*time.Minute)))
	}
	plain := strings.Replace(meeting("plain-1", "Flurgespräch", t0.Add(11*time.Minute)), "LOCATION:https://meet.jit.si/pforte-plain-1", "LOCATION:Raum 2.14", 1)
	r.putEvent("alice", "plain.ics", plain)
	alice, bob, carol := r.device("alice"), r.device("bob"), r.device("carol")
	r.optIn("alice", 10, ScopeVideo)
	r.optIn("carol", 10, ScopeVideo)
	if err := Save(context.Background(), r.st, "sub-carol", Prefs{Enabled: false}, t0); err != nil {
		t.Fatal(err)
	}
	s := r.scheduler()
	for d := time.Duration(0); d <= 3*time.Minute; d += time.Minute {
		r.at(s, d, t0)
	}
	if got := r.received(bob); len(got) != 0 {
		t.Errorf("bob never opted in and got %d pushes", len(got))
	}
	if got := r.received(carol); len(got) != 0 {
		t.Errorf("carol opted out and got %d pushes", len(got))
	}
	if got := r.received(alice); len(got) != 1 || !strings.Contains(got[0].Notification.Body, "Sitzung") {
		t.Errorf("alice (video meetings only) got %d pushes, want 1 for the video meeting: %+v", len(got), got)
	}
}

// An hour of one opted-in person with two video meetings costs at most 12
// CalDAV requests (the goal of issue 16): three plans and one check per
// reminder, each a Depth: 0 probe and one REPORT.
func TestReminderCalDAVBudget(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	r.putEvent("alice", "a.ics", meeting("budget-a", "Erste", t0.Add(12*time.Minute)))
	r.putEvent("alice", "b.ics", meeting("budget-b", "Zweite", t0.Add(41*time.Minute)))
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)
	s := r.scheduler()
	before := r.requests.n.Load()
	for d := time.Duration(0); d < time.Hour; d += 30 * time.Second {
		r.at(s, d, t0)
	}
	n := r.requests.n.Load() - before
	if got := len(r.received(sub)); got != 2 {
		t.Fatalf("got %d pushes, want 2", got)
	}
	if n > 12 {
		t.Fatalf("%d CalDAV requests in one hour for one person, want at most 12", n)
	}
	t.Logf("%d CalDAV requests in one hour (2 reminders)", n)
}

// With auth: bearer and no background credential, a reminder goes out
// while the person has Pforte open (the dashboard's fresh copy, read with
// their session, stands in for the calendar); while they are away none
// goes out and their settings say why.
func TestReminderWithoutBackgroundCredential(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	cfg := &config.Tenant{ID: r.tenantID, Calendar: &config.DAV{URL: r.caldav + "{user}/" + r.calName + "/", Auth: accounts.AuthBearer}}
	r.creds = ResolverCredentials{Resolvers: map[string]*accounts.Resolver{r.tenantID: accounts.NewResolver(cfg, r.creds.Resolvers[r.tenantID].Accounts())}}
	sources, err := dashboard.SourcesFor(cfg, &http.Client{Timeout: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := auth.NewSealer("reminders test secret key of enough length", "dashboard snapshot v1")
	cache := dashboard.NewCache(context.Background(), time.Minute, time.Hour, 2, slog.New(slog.DiscardHandler))
	snaps := dashboard.NewSnapshots(cache, map[string]dashboard.Sources{r.tenantID: sources}, 5*time.Second, r.root, sealer, r.clock.Now)
	r.putEvent("alice", "m.ics", meeting("session-1", "Bürgersprechstunde", t0.Add(12*time.Minute)))
	r.putEvent("alice", "n.ics", meeting("session-2", "Später", t0.Add(52*time.Minute)))
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)
	s := r.scheduler()
	s.Snapshots = snaps

	r.at(s, 0, t0) // away: nothing to read with
	if p, _ := NewPrefs(r.st).Get(context.Background(), "sub-alice"); p.Stopped != ReasonNoCredential {
		t.Fatalf("settings say %q, want %q", p.Stopped, ReasonNoCredential)
	}
	// Alice opens Pforte: her dashboard is read with her session's token
	// (here her calendar password stands in for it).
	r.clock.Set(t0.Add(90 * time.Second))
	session := func(context.Context, string) (upstream.Credential, error) {
		return upstream.Credential{Username: "alice", Password: r.users["alice"]}, nil
	}
	if _, err := snaps.Get(context.Background(), r.tenantID, "sub-alice", dashboard.User{}, session); err != nil {
		t.Fatal(err)
	}
	r.at(s, 90*time.Second, t0)
	r.at(s, 2*time.Minute, t0)
	if got := r.received(sub); len(got) != 1 || !strings.Contains(got[0].Notification.Body, "Bürgersprechstunde") {
		t.Fatalf("with Pforte open: %d pushes, want the reminder", len(got))
	}
	// She leaves; the copy grows stale: the next meeting gets no reminder.
	for d := 3 * time.Minute; d <= 45*time.Minute; d += time.Minute {
		r.at(s, d, t0)
	}
	if got := r.received(sub); len(got) != 1 {
		t.Fatalf("away without a background credential: %d pushes, want still 1", len(got))
	}
}

// dyingTransport is an instance's link to the push service that dies (its
// context is cancelled) at the first push: the instance stops mid-send.
type dyingTransport struct{ die context.CancelFunc }

func (d dyingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	d.die()
	return nil, context.Canceled
}

// An instance that stops after claiming a reminder but before its push
// went out does not lose it: its claim runs out, and another instance
// sends the reminder, once.
func TestReminderSurvivesInstanceStoppingMidSend(t *testing.T) {
	r := newRig(t, stores(t)["redis"](t), "alice")
	t0 := r.clock.Now()
	start := t0.Add(12 * time.Minute)
	r.putEvent("alice", "m.ics", meeting("crash-1", "Krisenstab", start))
	sub := r.device("alice")
	r.optIn("alice", 10, ScopeVideo)

	ctx, die := context.WithCancel(context.Background())
	a := r.scheduler()
	a.Lease = time.Second // the sending claim: a quarter of it past the reminder time
	keys, err := push.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	dying, err := push.NewSender(push.Config{Keys: keys, Subject: "it@city.example",
		Client: &http.Client{Transport: dyingTransport{die}}})
	if err != nil {
		t.Fatal(err)
	}
	a.Tenants = []Tenant{r.tenant}
	a.Tenants[0].Sender = dying
	r.at(a, 0, t0)
	r.clock.Set(t0.Add(2 * time.Minute))
	if st := a.Tick(ctx); st.Retried != 1 {
		t.Fatalf("the stopping instance: %+v, want the reminder left to retry", st)
	}
	if got := r.received(sub); len(got) != 0 {
		t.Fatalf("the stopped instance sent %d pushes", len(got))
	}

	occ := occurrenceID("sub-alice", Meeting{Start: start, Title: "Krisenstab"})
	deadline := time.Now().Add(10 * time.Second)
	for { // the claim runs out in the store's own (real) time
		if v, err := r.st.Get(context.Background(), sentKey(occ)); err != nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the stopped instance's claim %q did not run out", v)
		}
		runtime.Gosched()
	}
	b := r.scheduler()
	r.at(b, 2*time.Minute+2*time.Second, t0)
	r.at(b, 3*time.Minute, t0)
	if got := r.received(sub); len(got) != 1 || !strings.Contains(got[0].Notification.Body, "Krisenstab") {
		t.Fatalf("after the other instance stopped mid-send: %d pushes, want the reminder once", len(got))
	}
}
