package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// BenchmarkBuild is one uncached dashboard: the three real connectors of
// the test stack (Dovecot with 30 messages of which 12 unread, a Radicale
// calendar with 6 meetings this week, an rclone WebDAV folder with 40
// files) fetched in parallel. It is bound by the upstream servers; the
// figure says what a cache miss costs the user.
func BenchmarkBuild(b *testing.B) {
	now := time.Now()
	mailCred := benchMailbox(b, now)
	calURL, calCred := benchCalendar(b, now)
	filesURL, filesCred := benchFiles(b, now)

	m, err := mail.New(mail.Options{Addr: testenv.Server(b, "PFORTE_TEST_IMAP_ADDR"), TLS: mail.TLSNone, WebURL: "https://mail.example/#uid={uid}"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := calendar.New(calendar.Options{URL: calURL, WebURL: "https://cal.example/#uid={uid}"})
	if err != nil {
		b.Fatal(err)
	}
	f, err := files.New(files.Options{URL: filesURL, WebURL: "https://cloud.example/apps/files/?dir={dir}"})
	if err != nil {
		b.Fatal(err)
	}
	src := Sources{Mail(m), Calendar(c), Files(f)}
	creds := map[string]upstream.Credential{"mail": mailCred, "calendar": calCred, "files": filesCred}
	req := Request{User: User{Name: "Carola Bench", Email: "carol@example.org"}, Now: now,
		Creds: func(_ context.Context, source string) (upstream.Credential, error) { return creds[source], nil }}

	d := Build(context.Background(), src, 10*time.Second, req)
	if d.Mail.Status != StatusOK || d.Mail.Unread != 12 || d.Calendar.Status != StatusOK || len(d.Calendar.Events) != 6 ||
		d.Files.Status != StatusOK || len(d.Files.Files) != files.DefaultLimit {
		b.Fatalf("seeded dashboard not as expected: mail %+v (%d unread), calendar %+v (%d), files %+v (%d)",
			d.Mail.Block, d.Mail.Unread, d.Calendar.Block, len(d.Calendar.Events), d.Files.Block, len(d.Files.Files))
	}
	b.ReportAllocs()
	for b.Loop() {
		d := Build(context.Background(), src, 10*time.Second, req)
		if hasError(d) {
			b.Fatalf("build failed: mail %+v calendar %+v files %+v", d.Mail.Block, d.Calendar.Block, d.Files.Block)
		}
	}
}

// BenchmarkCacheGetWarm is the path of every /api/dashboard request after
// the first: one store GET and the JSON decode of the cached entry (about
// 6 KB), on each store. The -parallel variants run GOMAXPROCS×4 goroutines
// against one key, as the load test's 64 connections do.
func BenchmarkCacheGetWarm(b *testing.B) {
	stores := []struct {
		name string
		open func(testing.TB) store.Store
	}{
		{"redis", benchRedis},
		{"bbolt", benchBolt},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			st, c, key, now, build := warmCache(b, s.open(b))
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				d, err := c.Get(ctx, st, key, now, build)
				if err != nil || len(d.JSON) < 1000 {
					b.Fatalf("Get: %d bytes, %v", len(d.JSON), err)
				}
			}
		})
		b.Run(s.name+"-parallel", func(b *testing.B) {
			st, c, key, now, build := warmCache(b, s.open(b))
			ctx := context.Background()
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.Get(ctx, st, key, now, build); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkEncode is what handleAPIDashboard does with the cached
// dashboard: JSON encode and the SHA-256 ETag.
func BenchmarkEncode(b *testing.B) {
	d := realisticDashboard(time.Now())
	body, _ := json.Marshal(d)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		body, err := json.Marshal(d)
		if err != nil {
			b.Fatal(err)
		}
		_ = sha256.Sum256(body)
	}
}

// BenchmarkDecodeEntry is reading a stored entry (header only: the
// snapshot JSON is sent as it is).
func BenchmarkDecodeEntry(b *testing.B) {
	now := time.Now()
	body, err := json.Marshal(realisticDashboard(now).Snapshot)
	if err != nil {
		b.Fatal(err)
	}
	raw := entry{Cached: Cached{JSON: body, AsOf: now, FreshTo: now.Add(time.Hour)}}.encode()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := decodeEntry(raw); !ok {
			b.Fatal("entry did not decode")
		}
	}
}

// warmCache stores one realistic dashboard under a fresh key and returns
// what Get needs to find it fresh; a build during the loop fails the run.
func warmCache(b *testing.B, st store.Store) (store.Store, *Cache, string, time.Time, BuildFunc) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	now := time.Now()
	c := NewCache(ctx, time.Hour, 24*time.Hour, 4, nil)
	key := "dash:bench-" + randomHex()
	warmed := false
	build := func(context.Context) Snapshot {
		if warmed {
			b.Error("cache miss in a warm-cache benchmark")
		}
		return realisticDashboard(now).Snapshot
	}
	if _, err := c.Get(ctx, st, key, now, build); err != nil {
		b.Fatal(err)
	}
	warmed = true
	b.Cleanup(func() { _ = st.Delete(context.Background(), key) })
	return st, c, key, now.Add(time.Second), build
}

// realisticDashboard is a busy employee's morning: the default limits of
// every connector filled, umlauts and long subjects, three announcements
// and six app tiles.
func realisticDashboard(now time.Time) Dashboard {
	d := Dashboard{Snapshot: Snapshot{AsOf: now, User: User{Name: "Anna Schmidt", Email: "anna.schmidt@musterstadt.example"}}}
	d.Mail = MailBlock{Block: Block{Status: StatusOK}, Unread: 23}
	for i := range 5 {
		d.Mail.Messages = append(d.Mail.Messages, Message{From: fmt.Sprintf("Sachgebiet Öffentlichkeitsarbeit %d", i),
			Subject: fmt.Sprintf("AW: Entwurf Pressemitteilung Bürgerbüro Neueröffnung – bitte Rückmeldung bis Freitag (%d)", i),
			Date:    now.Add(-time.Duration(i) * time.Hour), URL: fmt.Sprintf("https://mail.musterstadt.example/appsuite/#!!&app=io.ox/mail&id=INBOX/%d", 4711+i)})
	}
	d.Calendar = CalendarBlock{Block: Block{Status: StatusOK}}
	for i := range 8 {
		start := now.Add(time.Duration(i*5+1) * time.Hour)
		d.Calendar.Events = append(d.Calendar.Events, Event{Title: fmt.Sprintf("Jour fixe Digitalisierung Fachbereich %d", i),
			Start: start, End: start.Add(time.Hour), Location: "Rathaus, Raum 2.14",
			JoinURL: "https://meet.musterstadt.example/jourfixe-" + fmt.Sprint(i), URL: "https://mail.musterstadt.example/appsuite/#!!&app=io.ox/calendar"})
	}
	d.Files = FilesBlock{Block: Block{Status: StatusOK}}
	for i := range 8 {
		name := fmt.Sprintf("Haushaltsplanung 2027 Entwurf v%d.xlsx", i)
		d.Files.Files = append(d.Files.Files, File{Name: name, Path: "Fachbereich Finanzen/Haushalt/" + name,
			Modified: ptr(now.Add(-time.Duration(i) * 3 * time.Hour)), Size: int64(48000 + i*1000),
			URL: "https://cloud.musterstadt.example/apps/files/?dir=/Fachbereich%20Finanzen/Haushalt"})
	}
	exp := now.Add(48 * time.Hour)
	for i := range 3 {
		d.Announcements = append(d.Announcements, Announcement{ID: randomHex(), Title: "Wartung des Mailservers am Samstag",
			Body:     "Am Samstag zwischen 8 und 12 Uhr ist der Mailserver wegen Wartungsarbeiten nicht erreichbar. Bitte planen Sie entsprechend.",
			Severity: []string{"info", "warning", "critical"}[i], PublishedAt: now.Add(-time.Duration(i) * 24 * time.Hour), ExpiresAt: &exp})
	}
	for _, a := range []string{"Chat", "Videokonferenz", "Ticketsystem", "Zeiterfassung", "Intranet", "Telefonbuch"} {
		d.Apps = append(d.Apps, App{Name: a, URL: "https://" + strings.ToLower(a) + ".musterstadt.example", Icon: "app"})
	}
	return d
}

// benchMailbox APPENDs 30 messages (12 unread) to a mailbox of its own,
// reached with the stack's master login.
func benchMailbox(b *testing.B, now time.Time) upstream.Credential {
	b.Helper()
	addr := testenv.Server(b, "PFORTE_TEST_IMAP_ADDR")
	master, pw, ok := strings.Cut(testenv.Server(b, "PFORTE_TEST_IMAP_MASTER"), ":")
	if !ok {
		b.Fatal("PFORTE_TEST_IMAP_MASTER is not user:password")
	}
	cred := mail.MasterCredential("bench-"+randomHex(), master, pw, "")
	ic, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		b.Fatalf("seed mail: %v", err)
	}
	defer ic.Close()
	if err := ic.Login(cred.Username, cred.Password).Wait(); err != nil {
		b.Fatalf("seed mail: login: %v", err)
	}
	for i := range 30 {
		date := now.Add(-time.Duration(30-i) * time.Hour)
		raw := "From: =?utf-8?q?Sachgebiet_=C3=96ffentlichkeitsarbeit?= <presse@musterstadt.example>\r\n" +
			"To: Carola <carol@musterstadt.example>\r\n" +
			fmt.Sprintf("Subject: Entwurf Pressemitteilung %d\r\n", i) +
			"Date: " + date.Format(time.RFC1123Z) + "\r\n" +
			"Message-ID: <" + randomHex() + "@bench.pforte.example>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			strings.Repeat("Guten Tag, bitte beachten Sie den Entwurf im Anhang.\r\n", 20)
		opts := &imap.AppendOptions{Time: date}
		if i < 18 {
			opts.Flags = []imap.Flag{imap.FlagSeen}
		}
		cmd := ic.Append("INBOX", int64(len(raw)), opts)
		if _, err := cmd.Write([]byte(raw)); err != nil {
			b.Fatalf("seed mail: append: %v", err)
		}
		if err := cmd.Close(); err != nil {
			b.Fatalf("seed mail: append: %v", err)
		}
		if _, err := cmd.Wait(); err != nil {
			b.Fatalf("seed mail: append: %v", err)
		}
	}
	_ = ic.Logout().Wait()
	return cred
}

// benchCalendar creates a calendar of carol's on Radicale with 6 meetings
// in the next days and returns its URL.
func benchCalendar(b *testing.B, now time.Time) (string, upstream.Credential) {
	b.Helper()
	cred := benchCred(b, "PFORTE_TEST_CALDAV_USERS", "carol")
	base := strings.TrimSuffix(testenv.Server(b, "PFORTE_TEST_CALDAV_URL"), "/")
	cal := base + "/carol/bench-" + randomHex() + "/"
	dav := func(method, url, body string) {
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.SetBasicAuth(cred.Username, cred.Password)
		if method == http.MethodPut {
			req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatalf("seed calendar: %s %s: %v", method, url, err)
		}
		res.Body.Close()
		if res.StatusCode >= 300 {
			b.Fatalf("seed calendar: %s %s: %s", method, url, res.Status)
		}
	}
	dav("MKCALENDAR", cal, "")
	for i := range 6 {
		uid := randomHex()
		start := now.Add(time.Duration(i*13+1) * time.Hour).UTC()
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pforte//bench//DE\r\nBEGIN:VEVENT\r\n" +
			"UID:" + uid + "\r\nDTSTAMP:" + now.UTC().Format("20060102T150405Z") + "\r\n" +
			"DTSTART:" + start.Format("20060102T150405Z") + "\r\nDTEND:" + start.Add(time.Hour).Format("20060102T150405Z") + "\r\n" +
			fmt.Sprintf("SUMMARY:Jour fixe Digitalisierung %d\r\n", i) +
			"LOCATION:Rathaus\\, Raum 2.14\r\nDESCRIPTION:Einwahl: https://meet.jit.si/pforte-bench\r\n" +
			"END:VEVENT\r\nEND:VCALENDAR\r\n"
		dav(http.MethodPut, cal+uid+".ics", ics)
	}
	return cal, cred
}

// benchFiles writes 40 files in 4 folders into carol's WebDAV folder and
// returns the connector URL of that subtree.
func benchFiles(b *testing.B, now time.Time) (string, upstream.Credential) {
	b.Helper()
	cred := benchCred(b, "PFORTE_TEST_WEBDAV_USERS", "carol")
	sub := "bench-" + randomHex()
	root := filepath.Join(testenv.Server(b, "PFORTE_TEST_WEBDAV_DIR"), "carol", sub)
	for i := range 4 {
		for j := range 10 {
			p := filepath.Join(root, fmt.Sprintf("Vorgang %d", i), fmt.Sprintf("Dokument %d.pdf", j))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(strings.Repeat("x", 100*j)), 0o644); err != nil {
				b.Fatal(err)
			}
			mod := now.Add(-time.Duration(i*10+j) * time.Hour)
			if err := os.Chtimes(p, mod, mod); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Cleanup(func() { os.RemoveAll(root) })
	url := strings.Replace(testenv.Server(b, "PFORTE_TEST_WEBDAV_URL"), "{user}", "{user}/"+sub, 1)
	return url, cred
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// benchCred is user's password from a "user:pw,..." list of the stack.
func benchCred(tb testing.TB, env, user string) upstream.Credential {
	tb.Helper()
	for _, p := range strings.Split(testenv.Server(tb, env), ",") {
		if u, pw, ok := strings.Cut(p, ":"); ok && u == user {
			return upstream.Credential{Username: u, Password: pw}
		}
	}
	tb.Fatalf("%s lacks %s", env, user)
	return upstream.Credential{}
}

func benchRedis(tb testing.TB) store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), testenv.Server(tb, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func benchBolt(tb testing.TB) store.Store {
	tb.Helper()
	s, err := store.NewBolt(filepath.Join(tb.TempDir(), "pforte.db"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func ptr[T any](v T) *T { return &v }
