package demo

import (
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
)

// The demo users: an employee of the citizens' office and an IT admin.
// Their logins are valid on the demo servers; the demo sign-in offers them.
const (
	loginEmployee = "erika"
	loginAdmin    = "max"
)

// AdminGroup is the group whose members the demo makes IT admins.
const AdminGroup = "it-admins"

// User is one of the demo sign-in's two people.
type User struct {
	Key      string // what the sign-in form sends
	Username string // the login on the demo servers
	Name     string
	Email    string
	Groups   []string
	Admin    bool
}

// Users are the demo sign-in's people, employee first.
func Users() []User {
	return []User{
		{Key: "employee", Username: loginEmployee, Name: "Erika Mustermann", Email: "erika.mustermann@musterstadt.example", Groups: []string{"staff", "buergerbuero"}},
		{Key: "admin", Username: loginAdmin, Name: "Max Mustermann", Email: "max.mustermann@musterstadt.example", Groups: []string{"staff", AdminGroup}, Admin: true},
	}
}

// Subject is a demo user's subject: the prefix keeps demo users apart from
// any real identity provider's subjects.
func Subject(login string) string { return "demo-" + login }

// Tenant is the demo tenant's configuration (config.Demo completes it).
func Tenant() config.Tenant {
	return config.Tenant{
		ID:            "demo",
		Hosts:         []string{"localhost", "127.0.0.1"},
		Name:          "Mitarbeiterportal Musterstadt",
		ShortName:     "Musterstadt",
		DefaultLocale: "de",
		Timezone:      config.DefaultTimezone,
		Theme:         config.Theme{PrimaryColor: config.DefaultPrimaryColor},
		Legal:         config.Legal{FeedbackEmail: "barrierefreiheit@musterstadt.example"},
		Apps: []config.App{
			{Name: "E-Mail", NameEN: "Mail", URL: "https://webmail.musterstadt.example/", Icon: "mail"},
			{Name: "Kalender", NameEN: "Calendar", URL: "https://webmail.musterstadt.example/calendar", Icon: "calendar"},
			{Name: "Dateien", NameEN: "Files", URL: "https://dateien.musterstadt.example/", Icon: "files"},
			{Name: "Chat", NameEN: "Chat", URL: "https://chat.musterstadt.example/", Icon: "chat"},
			{Name: "Videokonferenz", NameEN: "Video conference", URL: "https://meet.musterstadt.example/", Icon: "video"},
		},
	}
}

// SignIn is the demo user of key signed in to tenantID (false when key
// names none); the admin is in the tenant's admin group.
func SignIn(tenantID, key string, now time.Time) (*auth.User, bool) {
	for _, d := range Users() {
		if d.Key != key {
			continue
		}
		id := &auth.Identity{Subject: Subject(d.Username), Username: d.Username, Name: d.Name, Email: d.Email, Groups: d.Groups}
		admins := []string{}
		if d.Admin {
			admins = []string{AdminGroup}
		}
		u := auth.NewUser(tenantID, id, auth.Tokens{}, admins, now)
		u.Demo = true
		return u, true
	}
	return nil, false
}
