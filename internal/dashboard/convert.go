package dashboard

import (
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/calendar"
	"gitlab.opencode.de/pforte/pforte/internal/files"
	"gitlab.opencode.de/pforte/pforte/internal/mail"
)

func mailBlock(s mail.Summary) MailBlock {
	b := MailBlock{Block: Block{Status: StatusOK}, Unread: s.Unread, Messages: make([]Message, 0, len(s.Messages))}
	for _, m := range s.Messages {
		from := m.FromName
		if from == "" {
			from = m.FromAddress
		}
		// UTC, like as_of and file dates: the server's own offset says nothing.
		b.Messages = append(b.Messages, Message{From: from, Subject: m.Subject, Date: m.Date.UTC(), URL: m.URL})
	}
	return b
}

func calendarBlock(evs []calendar.Event) CalendarBlock {
	b := CalendarBlock{Block: Block{Status: StatusOK}, Events: make([]Event, 0, len(evs))}
	for _, e := range evs {
		b.Events = append(b.Events, Event{Title: e.Title, Start: e.Start, End: e.End, AllDay: e.AllDay,
			Location: e.Location, JoinURL: e.JoinURL, URL: e.URL})
	}
	return b
}

func filesBlock(fs []files.File) FilesBlock {
	b := FilesBlock{Block: Block{Status: StatusOK}, Files: make([]File, 0, len(fs))}
	for _, f := range fs {
		var mod *time.Time
		if !f.Modified.IsZero() {
			utc := f.Modified.UTC()
			mod = &utc
		}
		b.Files = append(b.Files, File{Name: f.Name, Path: f.Path, Modified: mod, Size: f.Size, URL: f.URL})
	}
	return b
}
