// Package mail reads a user's unread mail over IMAP for the dashboard: how
// many messages in INBOX are unread, and the sender, subject and date of the
// newest few. It never downloads message bodies and never changes a flag.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"strings"
	"unicode"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// source names this connector in upstream errors.
const source = "mail"

// DefaultLimit is how many unread messages Fetch lists when Options.Limit is 0.
const DefaultLimit = 5

// DefaultMasterSeparator joins user and master user in a master login
// ("alice*pforte-master"), as in Dovecot's auth_master_user_separator.
const DefaultMasterSeparator = "*"

// The ways of securing the connection Options.TLS accepts.
const (
	TLSImplicit = "implicit" // TLS from the first byte (port 993); the default
	TLSStartTLS = "starttls" // plain connect, then STARTTLS (port 143)
	TLSNone     = "none"     // no encryption: only for a server on the same host
)

// Options configure a Client. Only Addr is required.
type Options struct {
	// Addr is the IMAP server as host:port.
	Addr string
	// TLS is TLSImplicit (the default when empty), TLSStartTLS or TLSNone.
	TLS string
	// WebURL is where a user reads a message in the webmail. It may hold
	// the placeholders {uid} (the message's IMAP UID in INBOX) and
	// {message_id} (its Message-ID without angle brackets, URL-escaped;
	// empty when the message has none), for example
	// "https://webmail.example.de/?_task=mail&_mbox=INBOX&_uid={uid}&_action=show".
	// Without placeholders every message links to WebURL itself; when
	// WebURL is empty, Message.URL is empty.
	WebURL string
	// WebItemURL, when set, replaces WebURL for a message's link. Its
	// placeholders {uid}, {message_id} and {folder} ("INBOX") are each
	// escaped as one URL component (itemurl.Escape).
	WebItemURL string
	// Limit is how many of the newest unread messages Fetch lists
	// (DefaultLimit when 0).
	Limit int
	// MasterSeparator is the server's master-user separator
	// (DefaultMasterSeparator when empty). Fetch refuses a password login
	// whose user name holds it more than once, so a user name can never
	// smuggle in a second master login.
	MasterSeparator string
	// TLSConfig overrides the TLS settings (tests use it to trust their own
	// certificate authority). The server name is filled in from Addr.
	TLSConfig *tls.Config
}

// Client reads unread mail from one IMAP server. It holds no connection
// between calls, so one Client serves every user and is safe for
// concurrent use.
type Client struct {
	opts    Options
	host    string
	link    linkTemplate
	decoder *mime.WordDecoder
	// bearerMechs are the token mechanisms in order of preference (tests
	// pin one to exercise both).
	bearerMechs []string
}

// New checks opts and returns a Client. It does not connect.
func New(opts Options) (*Client, error) {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: address %q: %w", opts.Addr, err)
	}
	switch opts.TLS {
	case "":
		opts.TLS = TLSImplicit
	case TLSImplicit, TLSStartTLS, TLSNone:
	default:
		return nil, fmt.Errorf("mail: tls %q: want %s, %s or %s", opts.TLS, TLSImplicit, TLSStartTLS, TLSNone)
	}
	switch {
	case opts.Limit == 0:
		opts.Limit = DefaultLimit
	case opts.Limit < 0:
		return nil, fmt.Errorf("mail: limit %d: must not be negative", opts.Limit)
	}
	if opts.MasterSeparator == "" {
		opts.MasterSeparator = DefaultMasterSeparator
	}
	link, err := parseLinks(opts)
	if err != nil {
		return nil, err
	}
	return &Client{opts: opts, host: host, link: link, decoder: newWordDecoder(), bearerMechs: defaultBearerMechs()}, nil
}

// Fetch signs in to the server as cred and returns the number of unread
// messages in INBOX and the newest Options.Limit of them, newest first.
// It honours ctx for connecting and for every command, and always closes
// the connection. Errors are *upstream.Error values and never contain
// the credential.
func (c *Client) Fetch(ctx context.Context, cred upstream.Credential) (Summary, error) {
	if cred.Username == "" || (cred.Token == "" && cred.Password == "") {
		return Summary{}, upstream.Wrap(source, upstream.KindNotSetUp, errors.New("mail: fetch: no credential"))
	}
	if strings.ContainsFunc(cred.Username+cred.Token+cred.AuthzID, unicode.IsControl) {
		// Control characters would split the SASL message into other fields.
		return Summary{}, upstream.Wrap(source, upstream.KindAuth,
			errors.New("mail: fetch: control character in user name or token"))
	}
	if cred.Token == "" && cred.AuthzID == "" && countSeparators(cred.Username, c.opts.MasterSeparator) > 1 {
		return Summary{}, upstream.Wrap(source, upstream.KindAuth,
			errors.New("mail: fetch: user name contains the master user separator"))
	}
	s, err := c.dial(ctx)
	if err != nil {
		return Summary{}, err
	}
	defer s.close()
	if err := s.authenticate(cred); err != nil {
		return Summary{}, err
	}
	sum, err := s.unread(c.opts.Limit, c.link)
	if err != nil {
		return Summary{}, err
	}
	s.logout()
	return sum, nil
}
