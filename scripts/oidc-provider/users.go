package main

import (
	"fmt"
	"slices"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// person is a test user: the example storage's user plus the groups that a
// city's directory would put into the `groups` claim.
type person struct {
	storage.User
	Groups []string
	// WrongNonce makes the provider put a nonce other than the client's
	// into this user's ID tokens (a replayed or injected token), so tests
	// can check that the client refuses the sign-in.
	WrongNonce bool
}

// directory is the provider's fixed user list. It implements
// storage.UserStore so the example storage checks passwords against it.
type directory struct {
	byID map[string]*person
}

// testUsers are the people every test can sign in as. Subjects are stable
// UUIDs (like Keycloak's) and differ from the login name on purpose: Dovecot
// maps the login name (preferred_username, introspection `username`) to the
// mailbox, Pforte keys sessions by subject, and a mix-up must show in tests.
func testUsers() directory {
	people := []*person{
		newPerson("0b9c5e3a-1f4d-4c8e-9a51-a11ce0000001", "alice", "alice-pw", "Anna", "Schmidt",
			"anna.schmidt@musterstadt.example", "staff", "hr"),
		newPerson("0b9c5e3a-1f4d-4c8e-9a51-b0b000000002", "bob", "bob-pw", "Bernd", "Huber",
			"bernd.huber@musterstadt.example", "staff", "it-admins"),
		newPerson("0b9c5e3a-1f4d-4c8e-9a51-ca7010000003", "carol", "carol-pw", "Carla", "Özdemir",
			"carla.oezdemir@musterstadt.example", "staff"),
		// No groups at all: what a city whose directory has no groups
		// mapper sends. Such a user sees only announcements for everyone.
		newPerson("0b9c5e3a-1f4d-4c8e-9a51-d0a000000004", "dora", "dora-pw", "Doris", "Lange",
			"doris.lange@musterstadt.example"),
		wrongNonce(newPerson("0b9c5e3a-1f4d-4c8e-9a51-e7e000000005", "eve", "eve-pw", "Eva", "Wolf",
			"eva.wolf@musterstadt.example", "staff")),
	}
	d := directory{byID: make(map[string]*person, len(people))}
	for _, p := range people {
		d.byID[p.ID] = p
	}
	return d
}

func newPerson(id, username, password, first, last, email string, groups ...string) *person {
	return &person{
		User: storage.User{
			ID:                id,
			Username:          username,
			Password:          password,
			FirstName:         first,
			LastName:          last,
			Email:             email,
			EmailVerified:     true,
			PreferredLanguage: language.German,
		},
		Groups: groups,
	}
}

func wrongNonce(p *person) *person {
	p.WrongNonce = true
	return p
}

// GetUserByID implements storage.UserStore.
func (d directory) GetUserByID(id string) *storage.User {
	if p, ok := d.byID[id]; ok {
		return &p.User
	}
	return nil
}

// GetUserByUsername implements storage.UserStore.
func (d directory) GetUserByUsername(username string) *storage.User {
	for _, p := range d.byID {
		if p.Username == username {
			return &p.User
		}
	}
	return nil
}

// ExampleClientID implements storage.UserStore. The example keys its JWT
// profile service keys by this ID; this provider offers no such service.
func (d directory) ExampleClientID() string { return "" }

// groups returns a copy of the user's groups (nil for an unknown user).
func (d directory) groups(id string) []string {
	if p, ok := d.byID[id]; ok {
		return slices.Clone(p.Groups)
	}
	return nil
}

// wrongNonce reports whether the user's ID tokens get a wrong nonce.
func (d directory) wrongNonce(id string) bool {
	p, ok := d.byID[id]
	return ok && p.WrongNonce
}

// claimObjectID is openDesk's user id claim: Nextcloud knows openDesk
// users by it, not by their login name.
const claimObjectID = "opendesk_objectid"

// objectID returns the user's opendesk_objectid: "obj-" and the subject, so
// it differs from both the login name and the subject and a mix-up shows.
func (d directory) objectID(id string) string {
	if _, ok := d.byID[id]; ok {
		return "obj-" + id
	}
	return ""
}

// username returns the user's login name ("" for an unknown user).
func (d directory) username(id string) string {
	if p, ok := d.byID[id]; ok {
		return p.Username
	}
	return ""
}

// withLoadUsers adds n generated users load0001 … loadN (password
// NAME-pw, group staff) for scripts/load-morning.sh; their subjects are
// UUID-shaped and differ from the login name like the fixed users'.
func (d directory) withLoadUsers(n int) directory {
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("load%04d", i)
		id := fmt.Sprintf("0b9c5e3a-1f4d-4c8e-9a51-%012d", 100000+i)
		d.byID[id] = newPerson(id, name, name+"-pw", "Last", fmt.Sprintf("Nummer %d", i),
			name+"@musterstadt.example", "staff")
	}
	return d
}
