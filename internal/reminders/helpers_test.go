package reminders

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/accounts"
	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
	"gitlab.opencode.de/pforte/pforte/internal/push/pushtest"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// clock is the tests' fake clock, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// counting counts the requests to the CalDAV server.
type counting struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// rig is one tenant on a real store, Radicale and the strict push service.
type rig struct {
	t        *testing.T
	tenantID string
	root     store.Store
	st       store.Store // tenant-scoped
	clock    *clock
	push     *pushtest.Server
	sender   *push.Sender
	caldav   string // Radicale's base URL
	users    map[string]string
	calURL   map[string]string // user → their calendar of this rig
	calName  string            // the collection every user of this rig has
	requests *counting
	tenant   Tenant
	creds    ResolverCredentials
	acc      *accounts.Store // the users' app passwords
}

// stores are the backends the scheduler must work on.
func stores(t *testing.T) map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"redis": func(t *testing.T) store.Store {
			opts, err := store.ParseRedisURL(testenv.Server(t, "PFORTE_TEST_REDIS_URL"))
			if err != nil {
				t.Fatal(err)
			}
			r := store.NewRedis(opts, nil)
			t.Cleanup(func() { _ = r.Close() })
			return r
		},
		"bolt": func(t *testing.T) store.Store {
			b, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = b.Close() })
			return b
		},
	}
}

func newRig(t *testing.T, root store.Store, users ...string) *rig {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	r := &rig{t: t, tenantID: "rem-" + hex.EncodeToString(b), root: root, push: pushtest.NewServer(t),
		caldav: testenv.Server(t, "PFORTE_TEST_CALDAV_URL"), users: map[string]string{}, calURL: map[string]string{},
		clock: &clock{now: time.Now().UTC().Truncate(time.Minute)}}
	if !strings.HasSuffix(r.caldav, "/") {
		r.caldav += "/"
	}
	for _, pair := range strings.Split(testenv.Server(t, "PFORTE_TEST_CALDAV_USERS"), ",") {
		u, pw, _ := strings.Cut(pair, ":")
		r.users[u] = pw
	}
	r.calName = "rem-" + hex.EncodeToString(b)
	r.st = store.ForTenant(root, r.tenantID)
	keys, err := push.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	r.sender, err = push.NewSender(push.Config{Keys: keys, Subject: "it@city.example", Client: r.push.Client()})
	if err != nil {
		t.Fatal(err)
	}
	r.requests = &counting{next: http.DefaultTransport}
	sealer, err := auth.NewSealer("reminders test secret key of enough length", "app passwords v1")
	if err != nil {
		t.Fatal(err)
	}
	r.acc = accounts.New(r.st, r.tenantID, sealer)
	for _, u := range users {
		r.calURL[u] = r.newCalendar(u)
		if err := r.acc.Connect(context.Background(), "sub-"+u, "calendar", accounts.Account{Username: u, Password: r.users[u], ConnectedAt: r.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	r.useCalendarURL(r.caldav + "{user}/" + r.calName + "/")
	return r
}

// useCalendarURL makes template the tenant's calendar URL (the rig's
// collections, found through {user} or a claim).
func (r *rig) useCalendarURL(template string) {
	r.t.Helper()
	cfg := &config.Tenant{ID: r.tenantID, Calendar: &config.DAV{URL: template, Auth: accounts.AuthPassword, WebURL: "https://cal.city.example/"}}
	r.creds = ResolverCredentials{Resolvers: map[string]*accounts.Resolver{r.tenantID: accounts.NewResolver(cfg, r.acc)}}
	cal, err := calendar.New(calendar.Options{URL: template, WebURL: cfg.Calendar.WebURL, Days: 1, Location: time.UTC,
		HTTPClient: &http.Client{Transport: r.requests, Timeout: 10 * time.Second}})
	if err != nil {
		r.t.Fatal(err)
	}
	r.tenant = Tenant{ID: r.tenantID, Calendar: cal, Sender: r.sender, Location: time.UTC, Lang: "de", Origin: "https://portal.city.example"}
}

// scheduler is one instance's scheduler over the rig's store.
func (r *rig) scheduler() *Scheduler {
	return &Scheduler{Store: r.root, Tenants: []Tenant{r.tenant}, Creds: r.creds, Now: r.clock.Now,
		Wait: func(context.Context, time.Duration) {}} // the fake clock does not move by itself
}

// at sets the clock to t0+d and runs one pass of s.
func (r *rig) at(s *Scheduler, d time.Duration, t0 time.Time) Stats {
	r.clock.Set(t0.Add(d))
	return s.Tick(context.Background())
}

func (r *rig) do(user, method, url string, body []byte, want ...int) {
	r.t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.SetBasicAuth(user, r.users[user])
	if method == http.MethodPut {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	for _, w := range want {
		if resp.StatusCode == w {
			return
		}
	}
	r.t.Fatalf("%s %s: HTTP %d, want %v", method, url, resp.StatusCode, want)
}

// newCalendar creates the rig's calendar collection for user (the
// tenant's calendar URL names it), deleted when the test ends.
func (r *rig) newCalendar(user string) string {
	u := r.caldav + user + "/" + r.calName + "/"
	r.do(user, "MKCALENDAR", u, nil, http.StatusCreated)
	r.t.Cleanup(func() { r.do(user, http.MethodDelete, u, nil, http.StatusOK, http.StatusNoContent) })
	return u
}

// putEvent stores an event (or replaces the one with the same name).
func (r *rig) putEvent(user, name, ics string) {
	r.t.Helper()
	r.do(user, http.MethodPut, r.calURL[user]+name, []byte(strings.ReplaceAll(ics, "\n", "\r\n")), http.StatusCreated, http.StatusNoContent)
}

func (r *rig) deleteEvent(user, name string) {
	r.t.Helper()
	r.do(user, http.MethodDelete, r.calURL[user]+name, nil, http.StatusOK, http.StatusNoContent)
}

const stamp = "20060102T150405Z"

// meeting is a single event with a video link.
func meeting(uid, title string, start time.Time) string {
	return fmt.Sprintf(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//pforte//test//EN
BEGIN:VEVENT
UID:%s
DTSTAMP:%s
DTSTART:%s
DTEND:%s
SUMMARY:%s
LOCATION:https://meet.jit.si/pforte-%s
END:VEVENT
END:VCALENDAR
`, uid, start.UTC().Format(stamp), start.UTC().Format(stamp), start.Add(30*time.Minute).UTC().Format(stamp), title, uid)
}

// device subscribes a browser of user at the strict push service.
func (r *rig) device(user string) push.Subscription {
	r.t.Helper()
	sub := r.push.NewSubscription("")
	if _, err := notify.NewDevices(r.st).Save(context.Background(), "sub-"+user, sub, r.clock.Now()); err != nil {
		r.t.Fatal(err)
	}
	return sub
}

func (r *rig) optIn(user string, lead int, scope string) {
	r.t.Helper()
	p := Prefs{Enabled: true, Lead: lead, Scope: scope, Username: user, Lang: "de"}
	if err := Save(context.Background(), r.st, "sub-"+user, p, r.clock.Now()); err != nil {
		r.t.Fatal(err)
	}
}

// received are the decrypted declarative messages sub got.
func (r *rig) received(sub push.Subscription) []notify.Declarative {
	r.t.Helper()
	var out []notify.Declarative
	for _, m := range r.push.Messages(sub) {
		var d notify.Declarative
		if err := json.Unmarshal(m.Payload, &d); err != nil {
			r.t.Fatalf("push is not declarative JSON: %v: %s", err, m.Payload)
		}
		out = append(out, d)
	}
	return out
}
