package reminders

import (
	"context"
	"strconv"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// View is the settings section "Erinnerung vor Besprechungen" as the page
// shows it: the stored choice, or what was posted with its field errors.
type View struct {
	Enabled bool
	Lead    string
	Scope   string
	Leads   []string
	Stopped string // why reminders stopped (Reason*), "" when they work
	Errors  FieldErrors
	Saved   bool
}

// LoadView reads subject's settings for the page; saved: they were just stored.
func LoadView(ctx context.Context, tenantStore store.Store, subject string, saved bool) (*View, error) {
	p, err := NewPrefs(tenantStore).Get(ctx, subject)
	if err != nil {
		return nil, err
	}
	v := &View{Enabled: p.Enabled, Lead: strconv.Itoa(int(p.LeadTime().Minutes())), Scope: p.Scope, Stopped: p.Stopped, Leads: leadChoices(), Saved: saved}
	if v.Scope == "" {
		v.Scope = ScopeVideo
	}
	return v, nil
}

// Submit reads the posted form (through get) and stores the choice of the
// person, with their user name and claims (what the calendar URL may need
// while they are away); a wrong field returns the refused form's view and
// stores nothing.
func Submit(ctx context.Context, tenantStore store.Store, subject, username string, claims map[string]string, lang string, get func(string) string, now time.Time) (*View, error) {
	form := ReadForm(get)
	p, errs := form.Prefs()
	if errs != nil {
		return form.Invalid(errs), nil
	}
	p.Username, p.Claims, p.Lang = username, claims, lang
	return nil, Save(ctx, tenantStore, subject, p, now)
}

// Invalid is the view of a refused form: what the person chose, kept.
func (f Form) Invalid(errs FieldErrors) *View {
	return &View{Enabled: f.Enabled, Lead: f.Lead, Scope: f.Scope, Leads: leadChoices(), Errors: errs}
}

func leadChoices() []string {
	out := make([]string, len(Leads))
	for i, l := range Leads {
		out[i] = strconv.Itoa(l)
	}
	return out
}
