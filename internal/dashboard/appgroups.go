package dashboard

// AppGroup is the tiles under one heading of the central navigation.
type AppGroup struct {
	Name string
	Apps []App
}

// GroupApps groups consecutive tiles by category, in order; tiles without a
// category (the tenant's apps list) form one group without a name.
func GroupApps(apps []App) []AppGroup {
	var gs []AppGroup
	for _, a := range apps {
		if n := len(gs); n > 0 && gs[n-1].Name == a.Category {
			gs[n-1].Apps = append(gs[n-1].Apps, a)
			continue
		}
		gs = append(gs, AppGroup{Name: a.Category, Apps: []App{a}})
	}
	return gs
}

// AppGroups are d's tiles by heading, for the start page.
func (d Dashboard) AppGroups() []AppGroup { return GroupApps(d.Apps) }
