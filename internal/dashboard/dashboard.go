// Package dashboard gathers what an employee sees first — unread mail,
// meetings, recent files — from the workplace connectors in parallel, each
// bounded by its own timeout, and caches the result per user with
// stale-while-revalidate. Its JSON is the public /api/dashboard contract.
package dashboard

import (
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/announce"
)

// Statuses of a source block.
const (
	StatusOK       = "ok"
	StatusError    = "error"
	StatusDisabled = "disabled"
)

// Dashboard is the /api/dashboard document (public contract: extend, never
// rename or drop fields). Its JSON is flat: the snapshot's fields, then
// announcements and apps.
type Dashboard struct {
	Snapshot
	Announcements []Announcement `json:"announcements"`
	Apps          []App          `json:"apps"`
}

// Snapshot is the part fetched from the upstream sources, which the cache
// keeps per user; announcements and apps are added per request.
type Snapshot struct {
	AsOf     time.Time     `json:"as_of"`
	User     User          `json:"user"`
	Mail     MailBlock     `json:"mail"`
	Calendar CalendarBlock `json:"calendar"`
	Files    FilesBlock    `json:"files"`
	// Notifications are the Nextcloud notifications (notifications.go).
	Notifications NotificationsBlock `json:"notifications"`
}

// blocks are the status parts of every source block.
func (d Snapshot) blocks() []Block {
	return []Block{d.Mail.Block, d.Calendar.Block, d.Files.Block, d.Notifications.Block}
}

// User is who the dashboard belongs to.
type User struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Block is what every source block has: ok, error (with a reason a person
// can act on) or disabled (not configured for this tenant).
type Block struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// ErrorKind (auth, unreachable, timeout, bad_data, not_set_up) lets the
	// page say what to do in the user's language.
	ErrorKind string `json:"error_kind,omitempty"`
}

// MailBlock is the unread mail.
type MailBlock struct {
	Block
	Unread   int       `json:"unread"`
	Messages []Message `json:"messages"`
}

// Message is one unread mail.
type Message struct {
	From    string    `json:"from"`
	Subject string    `json:"subject"`
	Date    time.Time `json:"date"`
	URL     string    `json:"url"`
}

// CalendarBlock is today's and the next meetings.
type CalendarBlock struct {
	Block
	Events []Event `json:"events"`
}

// Event is one meeting occurrence.
type Event struct {
	Title    string    `json:"title"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	AllDay   bool      `json:"all_day"`
	Location string    `json:"location"`
	JoinURL  string    `json:"join_url"`
	URL      string    `json:"url"`
}

// FilesBlock is the recently changed files.
type FilesBlock struct {
	Block
	Files []File `json:"files"`
}

// File is one recently modified file.
type File struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// Modified is null when the server did not say (no getlastmodified);
	// such files sort last.
	Modified *time.Time `json:"modified"`
	Size     int64      `json:"size"`
	URL      string     `json:"url"`
}

// Announcement is an IT announcement as the dashboard shows it: the one
// item type of the announcement service.
type Announcement = announce.Item

// App is a tile linking to a workplace app.
type App struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	Icon string `json:"icon"`
	// IconURL is Pforte's own path of the app's image (central navigation).
	IconURL string `json:"icon_url,omitempty"`
	// Category is the central navigation's heading the app is under.
	Category string `json:"category,omitempty"`
	// Target is "_blank" (a new tab) or "_self"; empty: the same tab.
	Target string `json:"target,omitempty"`
}
