package demo

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// mailDomain is the sample municipality's mail domain (".example" is
// reserved, so no real address is ever written to).
const mailDomain = "musterstadt.example"

// seedMessage is one sample message, received age before now.
type seedMessage struct {
	age      time.Duration
	fromName string
	fromAddr string
	subject  string
	body     string
	seen     bool
	// latin1 encodes the subject as ISO-8859-1 RFC 2047 words, as older
	// mail systems still send it.
	latin1 bool
}

// recipient is the display name and address of a demo user's mailbox.
func recipient(login string) *netmail.Address {
	switch login {
	case loginAdmin:
		return &netmail.Address{Name: "Max Mustermann", Address: "max.mustermann@" + mailDomain}
	default:
		return &netmail.Address{Name: "Erika Mustermann", Address: "erika.mustermann@" + mailDomain}
	}
}

// inboxOf is the sample INBOX of a demo user, newest first.
func inboxOf(login string, now time.Time) []seedMessage {
	if login == loginAdmin {
		return adminInbox()
	}
	return employeeInbox(now)
}

// employeeInbox is Erika's INBOX: 10 messages, 6 of them unread.
func employeeInbox(now time.Time) []seedMessage {
	_, week := now.ISOWeek()
	return []seedMessage{
		{age: 3 * time.Minute, fromName: "Sabine Köhler", fromAddr: "sabine.koehler@" + mailDomain,
			subject: fmt.Sprintf("Bürgerbüro: Dienstplan KW %d", week),
			body:    "Hallo zusammen,\n\nanbei der Dienstplan für die Woche. Bitte Tauschwünsche bis Donnerstag an mich.\n\nViele Grüße\nSabine Köhler"},
		{age: 18 * time.Minute, fromName: "Jürgen Weiß", fromAddr: "juergen.weiss@" + mailDomain,
			subject: "Re: Antrag auf Telearbeit",
			body:    "Liebe Frau Mustermann,\n\nIhr Antrag auf Telearbeit wurde vom Personalamt befürwortet. Die Dienstvereinbarung finden Sie in der Dateiablage.\n\nMit freundlichen Grüßen\nJürgen Weiß"},
		{age: 47 * time.Minute, fromName: "Personalrat Musterstadt", fromAddr: "personalrat@" + mailDomain,
			subject: "Einladung: Personalversammlung",
			body:    "Liebe Kolleginnen und Kollegen,\n\nwir laden herzlich zur Personalversammlung im Ratssaal ein. Die Teilnahme gilt als Arbeitszeit.\n\nIhr Personalrat"},
		{age: 85 * time.Minute, fromName: "Zentrale Vergabestelle", fromAddr: "vergabe@" + mailDomain,
			subject: "Neue Bescheidvorlage freigegeben (Vorlagen & Formulare)",
			body:    "Die neue Bescheidvorlage ist freigegeben. Bitte alte Vorlagen nicht mehr verwenden."},
		{age: 130 * time.Minute, fromName: "Studieninstitut Musterland", fromAddr: "fortbildung@studieninstitut.example",
			subject: "Erinnerung: Fortbildung »Barrierefreie Dokumente« (Anmeldeschluss Freitag)", latin1: true,
			body: "Sehr geehrte Damen und Herren,\n\nwir erinnern an den Anmeldeschluss der Fortbildung.\n\nIhr Studieninstitut"},
		{age: 3 * time.Hour, fromName: "Thomas Brückner", fromAddr: "thomas.brueckner@" + mailDomain, seen: true,
			subject: "Bürgeranfrage weitergeleitet: Anwohnerparkausweis",
			body:    "Hallo Erika,\n\nkannst du die Anfrage übernehmen? Die Unterlagen liegen im Vorgang.\n\nDanke, Thomas"},
		{age: 5 * time.Hour, fromName: "Hausmeisterei Rathaus", fromAddr: "hausmeister@" + mailDomain, seen: true,
			subject: "Fundsache: Schlüsselbund im Foyer",
			body:    "Im Foyer wurde ein Schlüsselbund gefunden. Abholung an der Pforte."},
		{age: 26 * time.Hour, fromName: "Kantine im Rathaus", fromAddr: "kantine@" + mailDomain, seen: true,
			subject: "Speiseplan für die nächste Woche",
			body:    "Montag: Grünkohl mit Kartoffeln\nDienstag: Gemüselasagne\nMittwoch: Fischfilet mit Remoulade"},
		{age: 29 * time.Hour, fromName: "IT-Service", fromAddr: "it-service@" + mailDomain,
			subject: "Wartungsfenster Fachverfahren Einwohnerwesen am Samstag",
			body:    "Am Samstag ist das Fachverfahren von 8 bis 14 Uhr nicht erreichbar."},
		{age: 50 * time.Hour, fromName: "Personalamt", fromAddr: "personalamt@" + mailDomain, seen: true,
			subject: "Urlaubsantrag genehmigt",
			body:    "Ihr Urlaubsantrag wurde genehmigt. Schöne Erholung!"},
	}
}

// adminInbox is Max's INBOX: 10 messages, 5 of them unread.
func adminInbox() []seedMessage {
	return []seedMessage{
		{age: 6 * time.Minute, fromName: "Ticketsystem IT-Service", fromAddr: "servicedesk@" + mailDomain,
			subject: "Störung #4711: Drucker 2. OG Bürgerbüro offline",
			body:    "Neues Ticket mit Priorität hoch. Gemeldet von: Sabine Köhler."},
		{age: 22 * time.Minute, fromName: "Jürgen Weiß", fromAddr: "juergen.weiss@" + mailDomain,
			subject: "Re: Antrag auf Telearbeit – VPN-Zugang für Frau Mustermann",
			body:    "Hallo Max,\n\nbitte den VPN-Zugang ab dem Ersten einrichten.\n\nGruß, Jürgen"},
		{age: 55 * time.Minute, fromName: "Monitoring", fromAddr: "monitoring@" + mailDomain,
			subject: "Zertifikat läuft in 14 Tagen ab: portal.musterstadt.example",
			body:    "Das TLS-Zertifikat muss erneuert werden."},
		{age: 100 * time.Minute, fromName: "Personalrat Musterstadt", fromAddr: "personalrat@" + mailDomain,
			subject: "Einladung: Personalversammlung",
			body:    "Liebe Kolleginnen und Kollegen,\n\nwir laden herzlich zur Personalversammlung im Ratssaal ein.\n\nIhr Personalrat"},
		{age: 150 * time.Minute, fromName: "Patchmanagement", fromAddr: "patch@" + mailDomain, seen: true,
			subject: "Patchday: Freigabe der Updates für Arbeitsplätze",
			body:    "Die Updates sind für Ring 2 freigegeben."},
		{age: 4 * time.Hour, fromName: "Datensicherung", fromAddr: "backup@" + mailDomain, seen: true,
			subject: "Backup-Bericht: 0 Fehler, 2 Warnungen",
			body:    "Warnungen: Dateiserver 2 (Datei gesperrt), Archiv (Band fast voll)."},
		{age: 6 * time.Hour, fromName: "Kommunale Datenverarbeitung", fromAddr: "vertrieb@kdv.example", seen: true,
			subject: "Angebot: Lizenzverlängerung Fachverfahren Gewerbe",
			body:    "Anbei unser Angebot für die Lizenzverlängerung."},
		{age: 25 * time.Hour, fromName: "Datenschutzbeauftragte", fromAddr: "datenschutz@" + mailDomain,
			subject: "Anfrage: Löschkonzept für die E-Akte", latin1: true,
			body: "Bitte bis Monatsende das Löschkonzept abstimmen."},
		{age: 49 * time.Hour, fromName: "Amtsleitung", fromAddr: "amtsleitung@" + mailDomain, seen: true,
			subject: "Protokoll IT-Lenkungsausschuss",
			body:    "Das Protokoll liegt in der Dateiablage."},
		{age: 74 * time.Hour, fromName: "Sabine Köhler", fromAddr: "sabine.koehler@" + mailDomain, seen: true,
			subject: "Neue Kollegin im Bürgerbüro: Zugänge anlegen",
			body:    "Hallo Max,\n\nab Montag verstärkt Frau Öztürk das Bürgerbüro. Bitte Konto und Postfach anlegen.\n\nDanke, Sabine"},
	}
}

// seedMail builds an in-memory IMAP server holding each user's INBOX.
func seedMail(users map[string]string, now time.Time) (*imapmemserver.Server, error) {
	mem := imapmemserver.New()
	for login, password := range users {
		user := imapmemserver.NewUser(login, password)
		if err := user.Create("INBOX", nil); err != nil {
			return nil, fmt.Errorf("demo: seed mail: %w", err)
		}
		msgs := inboxOf(login, now)
		// Append oldest first, so UIDs grow with the arrival time as on a
		// real server.
		for i := len(msgs) - 1; i >= 0; i-- {
			m := msgs[i]
			received := now.Add(-m.age)
			raw, err := m.render(recipient(login), received, fmt.Sprintf("%s-%d", login, i))
			if err != nil {
				return nil, fmt.Errorf("demo: seed mail: %w", err)
			}
			opts := &imap.AppendOptions{Time: received}
			if m.seen {
				opts.Flags = []imap.Flag{imap.FlagSeen}
			}
			if _, err := user.Append("INBOX", literal{bytes.NewReader(raw)}, opts); err != nil {
				return nil, fmt.Errorf("demo: seed mail: append: %w", err)
			}
		}
		mem.AddUser(user)
	}
	return mem, nil
}

// render writes the message as RFC 5322 text: every header in ASCII (words
// encoded per RFC 2047), a quoted-printable UTF-8 body.
func (m seedMessage) render(to *netmail.Address, date time.Time, id string) ([]byte, error) {
	subject := mime.QEncoding.Encode("utf-8", m.subject)
	if m.latin1 {
		latin, err := toLatin1(m.subject)
		if err != nil {
			return nil, err
		}
		subject = mime.QEncoding.Encode("iso-8859-1", latin)
	}
	from := &netmail.Address{Name: m.fromName, Address: m.fromAddr}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&buf, "From: %s\r\n", from.String())
	fmt.Fprintf(&buf, "To: %s\r\n", to.String())
	fmt.Fprintf(&buf, "Subject: %s\r\n", subject)
	fmt.Fprintf(&buf, "Message-ID: <demo-%s-%d@%s>\r\n", id, date.Unix(), mailDomain)
	buf.WriteString("MIME-Version: 1.0\r\n")
	buf.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	buf.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&buf)
	if _, err := qp.Write([]byte(m.body + "\n")); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// toLatin1 converts s to ISO-8859-1 bytes; it fails on characters that
// encoding cannot hold, so a sample cannot silently lose letters.
func toLatin1(s string) (string, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return "", fmt.Errorf("%q is not in ISO-8859-1", r)
		}
		out = append(out, byte(r)) // #nosec G115 -- r <= 0xFF checked above
	}
	return string(out), nil
}

// literal is a message as IMAP APPEND expects it: a reader that knows its
// size.
type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }
