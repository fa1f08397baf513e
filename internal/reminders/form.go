package reminders

import (
	"slices"
	"strconv"
	"strings"
)

// Form is the settings form as posted: every field a string, so a wrong
// value can be shown back with its error instead of being lost.
type Form struct {
	Enabled bool
	Lead    string
	Scope   string
}

// FieldErrors names each field that is wrong with a message key
// ("reminders.error.lead"), for the page to translate next to the field.
type FieldErrors map[string]string

// ReadForm reads the posted fields through get (e.g. fiber's FormValue).
func ReadForm(get func(key string) string) Form {
	// Copies: a framework may reuse the buffers behind get's strings.
	return Form{Enabled: get("enabled") == "on" || get("enabled") == "1", Lead: strings.Clone(get("lead")), Scope: strings.Clone(get("scope"))}
}

// Prefs checks the form and returns the settings it asks for, or the
// fields that are wrong. A form that turns reminders off needs no other
// valid field: switching off always works.
func (f Form) Prefs() (Prefs, FieldErrors) {
	p := Prefs{Enabled: f.Enabled, Lead: DefaultLead, Scope: ScopeVideo}
	errs := FieldErrors{}
	if lead, err := strconv.Atoi(f.Lead); err == nil && slices.Contains(Leads, lead) {
		p.Lead = lead
	} else if f.Enabled {
		errs["lead"] = "reminders.error.lead"
	}
	switch f.Scope {
	case ScopeVideo, ScopeAll:
		p.Scope = f.Scope
	default:
		if f.Enabled {
			errs["scope"] = "reminders.error.scope"
		}
	}
	if len(errs) > 0 {
		return p, errs
	}
	return p, nil
}
