package config

// Reminders is a tenant's switch for meeting reminders by push
// ("Erinnerung vor Besprechungen"): each person still opts in in settings.
// Absent or enabled: true means on wherever the tenant has a calendar.
type Reminders struct {
	Enabled *bool `yaml:"enabled"`
}

// RemindersOn reports whether the tenant offers meeting reminders: not
// switched off, and a calendar to read the meetings from.
func (t *Tenant) RemindersOn() bool {
	return t.Calendar != nil && (t.Reminders.Enabled == nil || *t.Reminders.Enabled)
}
