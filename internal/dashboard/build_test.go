package dashboard

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// stalled is a server that accepts connections and never answers.
func stalled(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		var conns []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				close(done)
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func userCred(t *testing.T, env, user string) upstream.Credential {
	for _, p := range strings.Split(testenv.Server(t, env), ",") {
		if u, pw, ok := strings.Cut(p, ":"); ok && u == user {
			return upstream.Credential{Username: u, Password: pw}
		}
	}
	t.Fatalf("%s lacks %s", env, user)
	return upstream.Credential{}
}

// A stalled mail server delays the dashboard by at most its timeout; the
// other sources still show and the mail block says why it is missing.
func TestStalledSourceCostsAtMostItsTimeout(t *testing.T) {
	dead := stalled(t)
	m, _ := mail.New(mail.Options{Addr: dead, TLS: "none"})
	c, _ := calendar.New(calendar.Options{URL: "http://" + stalled(t) + "/{user}/"})
	f, err := files.New(files.Options{URL: testenv.Server(t, "PFORTE_TEST_WEBDAV_URL")})
	if err != nil {
		t.Fatal(err)
	}
	const timeout = 1500 * time.Millisecond
	start := time.Now()
	d := Build(context.Background(), Sources{Mail(m), Calendar(c), Files(f)}, timeout, Request{
		Now: start,
		Creds: func(_ context.Context, source string) (upstream.Credential, error) {
			return userCred(t, "PFORTE_TEST_WEBDAV_USERS", "bob"), nil
		},
	})
	took := time.Since(start)
	if took > timeout+time.Second {
		t.Errorf("Build took %v with two stalled sources, want at most about their %v timeout (not the sum)", took, timeout)
	}
	for name, b := range map[string]Block{"mail": d.Mail.Block, "calendar": d.Calendar.Block} {
		if b.Status != StatusError || b.ErrorKind != string(upstream.KindTimeout) || b.Reason == "" {
			t.Errorf("%s: %+v, want error/timeout with a reason", name, b)
		}
	}
	if d.Files.Status != StatusOK {
		t.Errorf("files next to stalled sources: %+v, want ok", d.Files.Block)
	}
}

func TestDisabledSourcesAndMissingCredentials(t *testing.T) {
	m, _ := mail.New(mail.Options{Addr: "127.0.0.1:1", TLS: "none"})
	d := Build(context.Background(), Sources{Mail(m)}, time.Second, Request{Now: time.Now(),
		Creds: func(context.Context, string) (upstream.Credential, error) {
			return upstream.Credential{}, &upstream.Error{Source: "mail", Kind: upstream.KindNotSetUp}
		}})
	if d.Mail.ErrorKind != "not_set_up" || d.Calendar.Status != StatusDisabled || d.Files.Status != StatusDisabled {
		t.Errorf("mail %+v calendar %+v files %+v", d.Mail.Block, d.Calendar.Block, d.Files.Block)
	}
	if raw, _ := json.Marshal(d); strings.Contains(string(raw), "null") {
		t.Errorf("empty lists must be [] in JSON, not null: %s", raw)
	}
}

// The cache serves fresh entries as they are, stale ones at once while one
// refresh runs, and shares one build among concurrent requests.
func TestCacheStaleWhileRevalidate(t *testing.T) {
	for name, st := range map[string]store.Store{"bbolt": boltStore(t), "redis": redisStore(t)} {
		t.Run(name, func(t *testing.T) {
			var builds atomic.Int32
			var clock atomic.Int64 // the fake time, as Unix seconds
			at := func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
			clock.Store(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC).Unix())
			release := make(chan struct{})
			build := func(ctx context.Context) Snapshot {
				n := builds.Add(1)
				if n > 1 {
					<-release
				}
				return Snapshot{AsOf: at(), User: User{Name: "Build " + string(rune('0'+n))}}
			}
			name := func(c Cached) string {
				s, err := c.Snapshot()
				if err != nil {
					t.Fatal(err)
				}
				return s.User.Name
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := NewCache(ctx, time.Minute, time.Hour, 4, nil)
			key := "dash:" + strings.ReplaceAll(t.Name(), "/", "-") + time.Now().Format("150405.000000")

			d, err := c.Get(ctx, st, key, at(), build)
			if err != nil || name(d) != "Build 1" {
				t.Fatalf("first Get = %v, %v", name(d), err)
			}
			clock.Add(30)
			d, _ = c.Get(ctx, st, key, at(), build)
			if name(d) != "Build 1" || builds.Load() != 1 {
				t.Fatalf("fresh entry rebuilt: %s, builds %d", name(d), builds.Load())
			}
			// Stale: served at once, one background refresh for many requests.
			clock.Add(90)
			for i := 0; i < 10; i++ {
				if d, _ = c.Get(ctx, st, key, at(), build); name(d) != "Build 1" {
					t.Fatalf("stale Get returned %s, want the stale Build 1 at once", name(d))
				}
			}
			close(release)
			c.Wait()
			if n := builds.Load(); n != 2 {
				t.Errorf("%d builds for one stale period, want 2 (first + one refresh)", n)
			}
			if d, _ = c.Get(ctx, st, key, at().Add(time.Second), build); name(d) != "Build 2" {
				t.Errorf("after the refresh Get returned %s, want Build 2", name(d))
			}
		})
	}
}

func boltStore(t *testing.T) store.Store {
	s, err := store.NewBolt(t.TempDir()+"/pforte.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func redisStore(t *testing.T) store.Store {
	s, err := store.Open(context.Background(), testenv.Server(t, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
