package mail

import (
	"errors"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// The SASL mechanisms that carry an OAuth 2.0 access token.
const (
	mechOAuthBearer = "OAUTHBEARER" // RFC 7628
	mechXOAuth2     = "XOAUTH2"     // Google's older form, still the common one
)

// MasterCredential returns the login of masterUser into user's mailbox
// ("alice*pforte-master"), the way many portals reach every mailbox with
// one service credential. sep is the server's master-user separator
// (DefaultMasterSeparator when empty) and must match Options.MasterSeparator.
// A user name that itself holds sep is refused by Fetch.
func MasterCredential(user, masterUser, masterPassword, sep string) upstream.Credential {
	if sep == "" {
		sep = DefaultMasterSeparator
	}
	return upstream.Credential{Username: user + sep + masterUser, Password: masterPassword}
}

// AuthzIDCredential returns the master login into user's mailbox the way
// Cyrus (and Dovecot with a master passdb) take it through SASL PLAIN:
// authorisation identity user, authentication identity masterUser.
func AuthzIDCredential(user, masterUser, masterPassword string) upstream.Credential {
	return upstream.Credential{Username: masterUser, Password: masterPassword, AuthzID: user}
}

func countSeparators(username, sep string) int {
	return strings.Count(username, sep)
}

// authenticate signs in with the access token when cred has one
// (OAUTHBEARER when the server offers it, else XOAUTH2), otherwise with
// user name and password.
func (s *session) authenticate(cred upstream.Credential) error {
	caps := s.ic.Caps()
	if cred.Token != "" {
		mech := bearerMechanism(caps, s.bearerMechs)
		if mech == "" {
			return s.failAs("authenticate", errors.New("server offers no token login (OAUTHBEARER or XOAUTH2)"), upstream.KindAuth)
		}
		if err := s.ic.Authenticate(&bearerClient{mech: mech, user: cred.Username, token: cred.Token}); err != nil {
			return s.fail("authenticate", err, upstream.KindAuth)
		}
		return nil
	}
	var err error
	switch {
	case cred.AuthzID != "":
		// LOGIN has no authorisation identity: only AUTHENTICATE PLAIN does.
		if !caps.Has(imap.AuthCap(sasl.Plain)) {
			return s.failAs("authenticate", errors.New("server offers no AUTH=PLAIN for an authzid master login"), upstream.KindAuth)
		}
		err = s.ic.Authenticate(sasl.NewPlainClient(cred.AuthzID, cred.Username, cred.Password))
	case caps.Has(imap.CapLoginDisabled):
		err = s.ic.Authenticate(sasl.NewPlainClient("", cred.Username, cred.Password))
	default:
		err = s.ic.Login(cred.Username, cred.Password).Wait()
	}
	if err != nil {
		return s.fail("login", err, upstream.KindAuth)
	}
	return nil
}

// defaultBearerMechs is the order of preference: the standard before Google's.
func defaultBearerMechs() []string { return []string{mechOAuthBearer, mechXOAuth2} }

// bearerMechanism returns the first of prefer the server offers.
func bearerMechanism(caps imap.CapSet, prefer []string) string {
	offered := caps.AuthMechanisms()
	for _, want := range prefer {
		for _, m := range offered {
			if strings.EqualFold(m, want) {
				return want
			}
		}
	}
	return ""
}

// bearerClient is the client side of OAUTHBEARER and XOAUTH2. go-sasl has
// no XOAUTH2, and its OAUTHBEARER stops at the server's error challenge
// instead of answering it, which leaves the command hanging; both
// mechanisms want an answer so the server can send its NO.
type bearerClient struct {
	mech, user, token string
	challenged        bool
}

// Start implements sasl.Client.
func (b *bearerClient) Start() (string, []byte, error) {
	if b.mech == mechOAuthBearer {
		return b.mech, []byte("n,a=" + gs2Escape(b.user) + ",\x01auth=Bearer " + b.token + "\x01\x01"), nil
	}
	return b.mech, []byte("user=" + b.user + "\x01auth=Bearer " + b.token + "\x01\x01"), nil
}

// Next implements sasl.Client. The only challenge either mechanism sends
// is the error report, answered with a dummy response (RFC 7628 3.2.3).
func (b *bearerClient) Next([]byte) ([]byte, error) {
	if b.challenged {
		return nil, errors.New("unexpected second challenge")
	}
	b.challenged = true
	// RFC 7628 wants %x01. XOAUTH2 wants an empty response, but go-imap
	// sends that as "=", which Dovecot rejects as bad base64 (BAD instead
	// of NO); %x01 is a response it reads and then refuses properly.
	return []byte{0x01}, nil
}

// gs2Escape escapes "," and "=" in an authzid (RFC 5801 section 4).
func gs2Escape(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}
