package upstream

// Credential is how a connector authenticates as the signed-in user.
// Exactly one way applies: Token (OIDC access token, sent as IMAP
// XOAUTH2/OAUTHBEARER or HTTP Bearer) when it is set, otherwise Username
// and Password (an app password, or an IMAP master login "user*master").
type Credential struct {
	Username string
	Password string
	Token    string
	// AuthzID, when set, makes Username the master user who acts for the
	// mailbox AuthzID (SASL PLAIN authorisation identity, RFC 4616), the
	// way Cyrus and others take a master login.
	AuthzID string
	// Claims are the user's sign-in claims a source URL names with
	// {claim:NAME} (see ExpandURL); never secrets.
	Claims map[string]string
}

// String never reveals secrets, so a Credential is safe in logs.
func (c Credential) String() string {
	switch {
	case c.Token != "":
		return "bearer(" + c.Username + ")"
	case c.Password != "" && c.AuthzID != "":
		return "password(" + c.Username + " for " + c.AuthzID + ")"
	case c.Password != "":
		return "password(" + c.Username + ")"
	default:
		return "none(" + c.Username + ")"
	}
}

// GoString keeps %#v from printing secrets too.
func (c Credential) GoString() string { return c.String() }
