package demo

import (
	"slices"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/mail"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// The demo's mail tile is read by the production mail connector.
func TestMailConnectorReadsSeededInbox(t *testing.T) {
	u, now, _ := startDemo(t)
	c, err := mail.New(mail.Options{Addr: u.IMAPAddr, TLS: mail.TLSNone, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		login      string
		unread     int
		newest     string
		newestFrom string
		newestAge  time.Duration
		alsoListed []string
	}{
		{
			login: "erika", unread: 6,
			newest: "Bürgerbüro: Dienstplan KW 48", newestFrom: "Sabine Köhler", newestAge: 3 * time.Minute,
			alsoListed: []string{
				"Re: Antrag auf Telearbeit",
				"Einladung: Personalversammlung",
				"Neue Bescheidvorlage freigegeben (Vorlagen & Formulare)",
				"Erinnerung: Fortbildung »Barrierefreie Dokumente« (Anmeldeschluss Freitag)",
			},
		},
		{
			login: "max", unread: 5,
			newest: "Störung #4711: Drucker 2. OG Bürgerbüro offline", newestFrom: "Ticketsystem IT-Service", newestAge: 6 * time.Minute,
			alsoListed: []string{"Anfrage: Löschkonzept für die E-Akte"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			sum, err := c.Fetch(t.Context(), upstream.Credential{Username: tt.login, Password: u.Users[tt.login]})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if sum.Unread != tt.unread || len(sum.Messages) != tt.unread {
				t.Fatalf("unread = %d with %d listed, want %d", sum.Unread, len(sum.Messages), tt.unread)
			}
			first := sum.Messages[0]
			if first.Subject != tt.newest || first.FromName != tt.newestFrom {
				t.Errorf("newest = %q from %q, want %q from %q", first.Subject, first.FromName, tt.newest, tt.newestFrom)
			}
			if want := now.Add(-tt.newestAge); !first.Date.Equal(want) {
				t.Errorf("newest arrived %v, want %v", first.Date, want)
			}
			var subjects []string
			for i, m := range sum.Messages {
				subjects = append(subjects, m.Subject)
				if i > 0 && m.Date.After(sum.Messages[i-1].Date) {
					t.Errorf("message %d (%q) is newer than the one before it", i, m.Subject)
				}
			}
			for _, want := range tt.alsoListed {
				if !slices.Contains(subjects, want) {
					t.Errorf("unread subjects %q lack %q", subjects, want)
				}
			}
		})
	}
}

func TestMailRefusesWrongPassword(t *testing.T) {
	u, _, _ := startDemo(t)
	c, err := mail.New(mail.Options{Addr: u.IMAPAddr, TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	for _, cred := range []upstream.Credential{
		{Username: "erika", Password: "demo"},
		{Username: "erika", Password: u.Users["max"]},
		{Username: "unbekannt", Password: u.Users["erika"]},
	} {
		_, err := c.Fetch(t.Context(), cred)
		if upstream.KindOf(err) != upstream.KindAuth {
			t.Errorf("Fetch(%v) = %v, want an authentication error", cred, err)
		}
	}
}
