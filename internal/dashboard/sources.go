package dashboard

import (
	"context"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// MailSource reads a user's unread mail (internal/mail.Client).
type MailSource interface {
	Fetch(ctx context.Context, cred upstream.Credential) (mail.Summary, error)
}

// CalendarSource reads a user's meetings (internal/calendar.Client).
type CalendarSource interface {
	Fetch(ctx context.Context, cred upstream.Credential, now time.Time) ([]calendar.Event, error)
}

// FilesSource reads a user's recent files (internal/files.Client).
type FilesSource interface {
	Fetch(ctx context.Context, cred upstream.Credential) ([]files.File, error)
}

// Sources are one tenant's configured connectors; a nil source is disabled.
type Sources struct {
	Mail     MailSource
	Calendar CalendarSource
	Files    FilesSource
	// failed logs and counts a failed source (Failures.reporter); nil
	// leaves failures to the blocks alone.
	failed func(source string, u User, err error)
}

// CredentialFunc returns how to authenticate as the user at source
// ("mail", "calendar", "files"): their access token, an app password or a
// master login. An *upstream.Error of KindNotSetUp means "not connected yet".
type CredentialFunc func(ctx context.Context, source string) (upstream.Credential, error)
