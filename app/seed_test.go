package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

func unique() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

func stackPassword(t *testing.T, env, user string) string {
	t.Helper()
	for _, p := range strings.Split(testenv.Server(t, env), ",") {
		if u, pw, ok := strings.Cut(p, ":"); ok && u == user {
			return pw
		}
	}
	t.Fatalf("%s has no %s", env, user)
	return ""
}

// seedMail appends an unread message to user's INBOX on the stack's Dovecot.
func seedMail(t *testing.T, user, from, subject string, date time.Time) {
	t.Helper()
	c, err := imapclient.DialInsecure(testenv.Server(t, "PFORTE_TEST_IMAP_ADDR"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, stackPassword(t, "PFORTE_TEST_IMAP_USERS", user)).Wait(); err != nil {
		t.Fatal(err)
	}
	msg := fmt.Sprintf("From: %s\r\nTo: %s@musterstadt.example\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo.\r\n",
		from, user, subject, date.Format(time.RFC1123Z), unique())
	cmd := c.Append("INBOX", int64(len(msg)), &imap.AppendOptions{Time: date})
	if _, err := cmd.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	_ = c.Logout().Wait()
}

// seedCalendar creates a calendar of its own for user on Radicale with one
// event from start to end and returns the calendar's name.
func seedCalendar(t *testing.T, user, title, location string, start, end time.Time) string {
	t.Helper()
	base := strings.TrimSuffix(testenv.Server(t, "PFORTE_TEST_CALDAV_URL"), "/")
	pw := stackPassword(t, "PFORTE_TEST_CALDAV_USERS", user)
	name := "dash-" + unique()
	calURL := fmt.Sprintf("%s/%s/%s/", base, user, name)
	davDo(t, "MKCALENDAR", calURL, user, pw, nil, http.StatusCreated)
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Pforte//Test//DE\r\nBEGIN:VEVENT\r\nUID:" + name + "\r\n" +
		"DTSTAMP:20261101T000000Z\r\nDTSTART:" + start.UTC().Format("20060102T150405Z") + "\r\nDTEND:" + end.UTC().Format("20060102T150405Z") +
		"\r\nSUMMARY:" + title + "\r\nLOCATION:" + location + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	davDo(t, http.MethodPut, calURL+"event.ics", user, pw, []byte(ics), http.StatusCreated)
	return name
}

func davDo(t *testing.T, method, url, user, pw string, body []byte, want int) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pw)
	if body != nil {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d", method, url, res.StatusCode, want)
	}
}

// seedFile writes a file into user's WebDAV space with a modification time.
func seedFile(t *testing.T, user, rel string, content []byte, mod time.Time) {
	t.Helper()
	p := filepath.Join(testenv.Server(t, "PFORTE_TEST_WEBDAV_DIR"), user, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(p) })
}
