package dashboard

import (
	"context"
	"sync"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Request is one user's dashboard to build.
type Request struct {
	User  User
	Now   time.Time
	Creds CredentialFunc
}

// Build fetches every configured source concurrently, each within timeout,
// so the answer waits at most for the slowest source or its timeout, never
// the sum. A failing source becomes a block with status "error" and a
// reason; the others still show.
func Build(ctx context.Context, src Sources, timeout time.Duration, req Request) Snapshot {
	d := Snapshot{AsOf: req.Now.UTC(), User: req.User}
	d.Mail = MailBlock{Block: Block{Status: StatusDisabled}, Messages: []Message{}}
	d.Calendar = CalendarBlock{Block: Block{Status: StatusDisabled}, Events: []Event{}}
	d.Files = FilesBlock{Block: Block{Status: StatusDisabled}, Files: []File{}}

	var wg sync.WaitGroup
	run := func(source string, fetch func(context.Context, upstream.Credential) (Block, error)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			cred, err := req.Creds(cctx, source)
			if err == nil {
				_, err = fetch(cctx, cred)
			}
			if err != nil {
				setError(&d, source, err)
				if src.failed != nil {
					src.failed(source, req.User, err)
				}
			}
		}()
	}
	if src.Mail != nil {
		run("mail", func(ctx context.Context, cred upstream.Credential) (Block, error) {
			s, err := src.Mail.Fetch(ctx, cred)
			if err == nil {
				d.Mail = mailBlock(s)
			}
			return d.Mail.Block, err
		})
	}
	if src.Calendar != nil {
		run("calendar", func(ctx context.Context, cred upstream.Credential) (Block, error) {
			evs, err := src.Calendar.Fetch(ctx, cred, req.Now)
			if err == nil {
				d.Calendar = calendarBlock(evs)
			}
			return d.Calendar.Block, err
		})
	}
	if src.Files != nil {
		run("files", func(ctx context.Context, cred upstream.Credential) (Block, error) {
			fs, err := src.Files.Fetch(ctx, cred)
			if err == nil {
				d.Files = filesBlock(fs)
			}
			return d.Files.Block, err
		})
	}
	wg.Wait()
	return d
}

// setError records a failed source. Each goroutine writes only its own
// block, so no lock is needed.
func setError(d *Snapshot, source string, err error) {
	kind := kindOf(err)
	b := Block{Status: StatusError, ErrorKind: string(kind), Reason: Reason(kind)}
	switch source {
	case "mail":
		d.Mail = MailBlock{Block: b, Messages: []Message{}}
	case "calendar":
		d.Calendar = CalendarBlock{Block: b, Events: []Event{}}
	case "files":
		d.Files = FilesBlock{Block: b, Files: []File{}}
	}
}

// Reason says in plain words what went wrong and what to do.
func Reason(k upstream.Kind) string {
	switch k {
	case upstream.KindAuth:
		return "The server refused your sign-in: sign in again or reconnect the account in settings."
	case upstream.KindTimeout:
		return "The server did not answer in time. Pforte tries again shortly."
	case upstream.KindBadData:
		return "The server sent an answer Pforte cannot read. IT has been notified in the log."
	case upstream.KindNotSetUp:
		return "Not connected yet: enter an app password under settings (Konten verbinden)."
	default:
		return "The server cannot be reached right now. Pforte tries again shortly."
	}
}
