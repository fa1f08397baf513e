// Package demo runs the upstream servers of Pforte's demo tenant in
// process: an IMAP server, a CalDAV server and a WebDAV server on
// 127.0.0.1, seeded with German sample mail, meetings and office files
// dated relative to the moment the demo starts. The demo tenant reads them
// through the same connectors as production (internal/mail,
// internal/calendar, internal/files), so the demo exercises the real code:
//
//	up, err := demo.Start(ctx, time.Now(), loc, logger)
//	...
//	defer up.Close()
//	mail.New(mail.Options{Addr: up.IMAPAddr, TLS: mail.TLSNone})
//	calendar.New(calendar.Options{URL: up.CalDAVURL, Location: loc})
//	files.New(files.Options{URL: up.WebDAVURL})
//	cred := upstream.Credential{Username: "erika", Password: up.Users["erika"]}
//
// The data is read-only: the servers refuse every change, so the demo
// looks the same however it is used.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Upstreams are the running demo servers. All of them listen on 127.0.0.1
// only and accept the same logins.
type Upstreams struct {
	// IMAPAddr is the IMAP server as host:port, without TLS ("none").
	IMAPAddr string
	// CalDAVURL is the calendar home of a user, with the placeholder
	// {user}. It can be read directly; the server root and the user's
	// principal also lead there by discovery (current-user-principal,
	// calendar-home-set).
	CalDAVURL string
	// WebDAVURL is the files root of a user, with the placeholder {user}.
	WebDAVURL string
	// Users maps each login to its password, valid on all three servers.
	// The passwords are random per Start: nothing outside this process
	// can guess them.
	Users map[string]string

	logger    *slog.Logger
	dir       string
	imap      *imapServer
	http      *httpServer
	closeOnce sync.Once
	closeErr  error
}

// Start seeds the sample data relative to now (calendar times in loc) and
// starts the servers on free ports of 127.0.0.1. The servers run until
// Close; ctx only bounds the start itself. A nil loc means UTC, a nil
// logger discards.
func Start(ctx context.Context, now time.Time, loc *time.Location, logger *slog.Logger) (*Upstreams, error) {
	if loc == nil {
		loc = time.UTC
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "demo")
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("demo: start: %w", err)
	}
	users, err := newPasswords(loginEmployee, loginAdmin)
	if err != nil {
		return nil, err
	}
	u := &Upstreams{Users: users, logger: logger}

	u.dir, err = os.MkdirTemp("", "pforte-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: start: temp dir: %w", err)
	}
	if err := u.start(now, loc); err != nil {
		return nil, errors.Join(err, u.Close())
	}
	logger.Info("demo upstreams started", "imap", u.IMAPAddr, "caldav", u.CalDAVURL, "webdav", u.WebDAVURL, "users", len(users))
	return u, nil
}

func (u *Upstreams) start(now time.Time, loc *time.Location) error {
	// Names such as "Dienstplan KW 48" follow the tenant's calendar.
	local := now.In(loc)
	mem, err := seedMail(u.Users, local)
	if err != nil {
		return err
	}
	filesRoot, err := seedFiles(u.dir, u.Users, local)
	if err != nil {
		return err
	}
	cals, err := seedCalendars(u.Users, local, loc)
	if err != nil {
		return err
	}

	u.imap, err = startIMAP(mem, u.logger)
	if err != nil {
		return err
	}
	u.IMAPAddr = u.imap.addr
	u.http, err = startHTTP(newDAVHandler(u.Users, cals, filesRoot, loc, u.logger), u.logger)
	if err != nil {
		return err
	}
	base := "http://" + u.http.addr
	u.CalDAVURL = base + calendarHomePath("{user}")
	u.WebDAVURL = base + filesPath("{user}")
	return nil
}

// Close stops the servers, waits for their goroutines and removes the
// seeded files. It is safe to call more than once.
func (u *Upstreams) Close() error {
	u.closeOnce.Do(func() {
		var errs []error
		if u.http != nil {
			errs = append(errs, u.http.close())
		}
		if u.imap != nil {
			errs = append(errs, u.imap.close())
		}
		if u.dir != "" {
			if err := os.RemoveAll(u.dir); err != nil {
				errs = append(errs, fmt.Errorf("demo: close: remove files: %w", err))
			}
		}
		u.closeErr = errors.Join(errs...)
		if u.closeErr != nil {
			u.logger.Warn("demo upstreams stopped with errors", "err", u.closeErr)
		} else {
			u.logger.Info("demo upstreams stopped")
		}
	})
	return u.closeErr
}

// newPasswords gives every login a random password.
func newPasswords(logins ...string) (map[string]string, error) {
	users := make(map[string]string, len(logins))
	for _, login := range logins {
		buf := make([]byte, 18)
		if _, err := rand.Read(buf); err != nil {
			return nil, fmt.Errorf("demo: password: %w", err)
		}
		users[login] = base64.RawURLEncoding.EncodeToString(buf)
	}
	return users, nil
}
