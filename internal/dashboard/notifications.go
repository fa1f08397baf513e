package dashboard

import (
	"context"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/notifications"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// NotificationsBlock is the user's Nextcloud notifications: how many, the
// newest five, and where to see them all.
type NotificationsBlock struct {
	Block
	Count         int            `json:"count"`
	Notifications []Notification `json:"notifications"`
	WebURL        string         `json:"web_url,omitempty"`
}

// Notification is one Nextcloud notification (its text untrusted: the
// page shows it as text; URL is http(s) or empty).
type Notification struct {
	Subject string    `json:"subject"`
	App     string    `json:"app"`
	Time    time.Time `json:"time"`
	URL     string    `json:"url"`
}

// NotificationsClient reads a user's notifications (internal/notifications.Client).
type NotificationsClient interface {
	Fetch(ctx context.Context, cred upstream.Credential) (notifications.Summary, error)
}

// Notifications is the Nextcloud notifications source: the
// "notifications" block; webURL is where all of them are shown.
func Notifications(c NotificationsClient, webURL string) Source {
	return notificationsSource{c: c, webURL: webURL}
}

type notificationsSource struct {
	c      NotificationsClient
	webURL string
}

func (notificationsSource) Name() string { return "notifications" }

func (s notificationsSource) Fetch(ctx context.Context, cred upstream.Credential, _ time.Time, d *Snapshot) error {
	sum, err := s.c.Fetch(ctx, cred)
	if err != nil {
		return err
	}
	b := NotificationsBlock{Block: Block{Status: StatusOK}, Count: sum.Count, WebURL: s.webURL,
		Notifications: make([]Notification, 0, len(sum.Newest))}
	for _, n := range sum.Newest {
		b.Notifications = append(b.Notifications, Notification{Subject: n.Subject, App: n.App, Time: n.Time, URL: n.Link})
	}
	d.Notifications = b
	return nil
}

func (s notificationsSource) SetBlock(d *Snapshot, b Block) {
	d.Notifications = NotificationsBlock{Block: b, Notifications: []Notification{}, WebURL: s.webURL}
}
