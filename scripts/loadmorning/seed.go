package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"golang.org/x/sync/errgroup"
)

// Sizes of one user's data: a working inbox, a calendar with meetings and
// two weekly series, a file tree of a few project folders.
type sizes struct {
	mails, unread, events, folders, filesPerFolder int
}

// runSeed gives every load user a mailbox (IMAP APPEND, so Dovecot builds
// its indexes as in production), a calendar (files in Radicale's storage,
// which it reads on each request) and a file tree on the WebDAV disk.
func runSeed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	imapAddr := fs.String("imap", "", "Dovecot's host:port")
	calDir := fs.String("caldav-dir", "", "Radicale's filesystem_folder")
	davDir := fs.String("webdav-dir", "", "the WebDAV server's root folder")
	users := fs.Int("users", 500, "load users to seed (load0001 …)")
	var sz sizes
	fs.IntVar(&sz.mails, "mails", 60, "mails per inbox")
	fs.IntVar(&sz.unread, "unread", 9, "of them unread")
	fs.IntVar(&sz.events, "events", 25, "single events in the next four weeks")
	fs.IntVar(&sz.folders, "folders", 4, "folders below the user's root")
	fs.IntVar(&sz.filesPerFolder, "files", 12, "files per folder (and at the root)")
	parallel := fs.Int("parallel", 8, "users seeded at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	now := time.Now().UTC()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(*parallel)
	for i := 1; i <= *users; i++ {
		user := loadUser(i)
		g.Go(func() error {
			if err := seedMail(*imapAddr, user, sz, now); err != nil {
				return err
			}
			if err := seedCalendar(filepath.Join(*calDir, "collection-root", user, "load"), sz, now); err != nil {
				return err
			}
			return seedFiles(filepath.Join(*davDir, user), sz, now)
		})
		if gctx.Err() != nil {
			break
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d users: %d mails (%d unread), %d events + 2 weekly series, %d folders x %d files\n",
		*users, sz.mails, sz.unread, sz.events, sz.folders, sz.filesPerFolder)
	return nil
}

func loadUser(i int) string { return fmt.Sprintf("load%04d", i) }

func seedMail(addr, user string, sz sizes, now time.Time) error {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return fmt.Errorf("seed: imap %s: %w", user, err)
	}
	defer c.Close()
	if err := c.Login(user, user+"-pw").Wait(); err != nil {
		return fmt.Errorf("seed: imap login %s: %w", user, err)
	}
	for i := 0; i < sz.mails; i++ {
		date := now.Add(-time.Duration(sz.mails-i) * 47 * time.Minute)
		body := fmt.Sprintf("From: =?utf-8?q?Sachgebiet_=C3=96ffentlichkeitsarbeit?= <presse@musterstadt.example>\r\n"+
			"To: %s <%s@musterstadt.example>\r\nSubject: AW: Vorlage Ausschusssitzung TOP %d\r\n"+
			"Date: %s\r\nMessage-ID: <morning-%s-%d@musterstadt.example>\r\nMIME-Version: 1.0\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s",
			user, user, i, date.Format(time.RFC1123Z), user, i, strings.Repeat("Guten Tag, anbei die Unterlagen.\r\n", 40))
		var flags []imap.Flag
		if i < sz.mails-sz.unread {
			flags = []imap.Flag{imap.FlagSeen}
		}
		cmd := c.Append("INBOX", int64(len(body)), &imap.AppendOptions{Flags: flags, Time: date})
		if _, err := io.WriteString(cmd, body); err != nil {
			return fmt.Errorf("seed: append %s: %w", user, err)
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("seed: append %s: %w", user, err)
		}
		if _, err := cmd.Wait(); err != nil {
			return fmt.Errorf("seed: append %s: %w", user, err)
		}
	}
	return c.Logout().Wait()
}

func seedCalendar(dir string, sz sizes, now time.Time) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".Radicale.props"), []byte(`{"tag": "VCALENDAR"}`), 0o644); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	const f = "20060102T150405Z"
	event := func(uid string, start time.Time, extra string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pforte//morning//DE\r\nBEGIN:VEVENT\r\n" +
			"UID:" + uid + "\r\nDTSTAMP:" + now.Format(f) + "\r\nDTSTART:" + start.Format(f) + "\r\n" +
			"DTEND:" + start.Add(time.Hour).Format(f) + "\r\nSUMMARY:Jour fixe " + uid + "\r\n" +
			"LOCATION:Rathaus\\, Raum 2.14\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	write := func(uid, ics string) error {
		if err := os.WriteFile(filepath.Join(dir, uid+".ics"), []byte(ics), 0o644); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		return nil
	}
	for i := 0; i < sz.events; i++ {
		start := now.Truncate(time.Hour).Add(time.Duration(i*27-48) * time.Hour)
		if err := write(fmt.Sprintf("ev-%d", i), event(fmt.Sprintf("ev-%d", i), start, "")); err != nil {
			return err
		}
	}
	for i, rule := range []string{"RRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\n", "RRULE:FREQ=WEEKLY;INTERVAL=2\r\n"} {
		start := now.AddDate(0, -3, 0).Truncate(time.Hour)
		if err := write(fmt.Sprintf("series-%d", i), event(fmt.Sprintf("series-%d", i), start, rule)); err != nil {
			return err
		}
	}
	return nil
}

func seedFiles(root string, sz sizes, now time.Time) error {
	dirs := []string{root}
	for i := 0; i < sz.folders; i++ {
		dirs = append(dirs, filepath.Join(root, fmt.Sprintf("Projekt %d", i), "Unterlagen"))
	}
	for d, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		for i := 0; i < sz.filesPerFolder; i++ {
			p := filepath.Join(dir, fmt.Sprintf("Haushaltsplanung 2027 Entwurf v%d.xlsx", i))
			if err := os.WriteFile(p, []byte(strings.Repeat("x", 500*i)), 0o644); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			t := now.Add(-time.Duration(d*sz.filesPerFolder+i) * 37 * time.Minute)
			if err := os.Chtimes(p, t, t); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
	}
	return nil
}
