package dashboard

import (
	"context"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Source is one upstream the dashboard reads for a user. Adding a source
// means a connector package, a Source here, its registration in SourcesFor,
// its block in Snapshot (the /api/dashboard contract only grows) and a
// template partial; see docs/architecture.md.
type Source interface {
	// Name is the source's key: its config section, the credential the
	// accounts resolver hands out for it, and its block in the document.
	Name() string
	// Fetch reads the user's data with cred and writes the source's own
	// block of d (and nothing else: sources run concurrently).
	Fetch(ctx context.Context, cred upstream.Credential, now time.Time, d *Snapshot) error
	// SetBlock gives the source's block status b and no items (disabled,
	// or an error with its reason).
	SetBlock(d *Snapshot, b Block)
}

// Sources are one tenant's configured sources, in the order of SourcesFor.
type Sources []Source

// CredentialFunc returns how to authenticate as the user at source
// ("mail", "calendar", "files"): their access token, an app password or a
// master login. An *upstream.Error of KindNotSetUp means "not connected yet".
type CredentialFunc func(ctx context.Context, source string) (upstream.Credential, error)

// MailClient reads a user's unread mail (internal/mail.Client).
type MailClient interface {
	Fetch(ctx context.Context, cred upstream.Credential) (mail.Summary, error)
}

// CalendarClient reads a user's meetings (internal/calendar.Client).
type CalendarClient interface {
	Fetch(ctx context.Context, cred upstream.Credential, now time.Time) ([]calendar.Event, error)
}

// FilesClient reads a user's recent files (internal/files.Client).
type FilesClient interface {
	Fetch(ctx context.Context, cred upstream.Credential) ([]files.File, error)
}

// Mail is the unread mail source: the "mail" block.
func Mail(c MailClient) Source { return mailSource{c} }

// Calendar is the meetings source: the "calendar" block.
func Calendar(c CalendarClient) Source { return calendarSource{c} }

// Files is the recent files source: the "files" block.
func Files(c FilesClient) Source { return filesSource{c} }

type mailSource struct{ c MailClient }

func (mailSource) Name() string { return "mail" }

func (s mailSource) Fetch(ctx context.Context, cred upstream.Credential, _ time.Time, d *Snapshot) error {
	sum, err := s.c.Fetch(ctx, cred)
	if err == nil {
		d.Mail = mailBlock(sum)
	}
	return err
}

func (mailSource) SetBlock(d *Snapshot, b Block) { d.Mail = MailBlock{Block: b, Messages: []Message{}} }

type calendarSource struct{ c CalendarClient }

func (calendarSource) Name() string { return "calendar" }

func (s calendarSource) Fetch(ctx context.Context, cred upstream.Credential, now time.Time, d *Snapshot) error {
	evs, err := s.c.Fetch(ctx, cred, now)
	if err == nil {
		d.Calendar = calendarBlock(evs)
	}
	return err
}

func (calendarSource) SetBlock(d *Snapshot, b Block) {
	d.Calendar = CalendarBlock{Block: b, Events: []Event{}}
}

type filesSource struct{ c FilesClient }

func (filesSource) Name() string { return "files" }

func (s filesSource) Fetch(ctx context.Context, cred upstream.Credential, _ time.Time, d *Snapshot) error {
	fs, err := s.c.Fetch(ctx, cred)
	if err == nil {
		d.Files = filesBlock(fs)
	}
	return err
}

func (filesSource) SetBlock(d *Snapshot, b Block) { d.Files = FilesBlock{Block: b, Files: []File{}} }

// every is each kind of source with a block in the document, so a block
// whose source a tenant did not configure still shows as disabled.
func every() Sources {
	return Sources{mailSource{}, calendarSource{}, filesSource{}, notificationsSource{}}
}
