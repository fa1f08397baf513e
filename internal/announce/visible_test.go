package announce

import (
	"slices"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// An hr announcement reaches hr members only; critical and pinned come
// first; withdrawn ones vanish from every view; the archive searches and pages.
func TestTargetingOrderAndArchive(t *testing.T) {
	s := boltStore(t)
	repo := NewRepo(store.ForTenant(s, "city"))
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, berlin)
	mk := func(title, sev string, pinned bool, groups []string, age time.Duration) *Announcement {
		a := &Announcement{ID: NewID(), Title: title, Body: "Text " + title, Severity: sev, Pinned: pinned, Groups: groups, PublishAt: now.Add(-age)}
		mustSave(t, repo, a)
		return a
	}
	info := mk("Neues Intranet", SeverityInfo, false, []string{}, time.Minute)
	hr := mk("Gehaltsabrechnung", SeverityInfo, false, []string{"hr"}, 2*time.Minute)
	pinned := mk("Passwortregeln", SeverityInfo, true, nil, time.Hour)
	crit := mk("Störung Mail", SeverityCritical, false, []string{"staff"}, 3*time.Hour)
	gone := mk("Zurückgezogen", SeverityWarning, false, nil, time.Minute)
	gone.WithdrawnAt = &now
	mustSave(t, repo, gone)

	carol, err := repo.Current(t.Context(), []string{"staff"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{crit.ID, pinned.ID, info.ID}; !slices.Equal(ids(carol), want) {
		t.Fatalf("carol (staff) sees %v, want critical, pinned, newest: %v", ids(carol), want)
	}
	alice, _ := repo.Current(t.Context(), []string{"staff", "hr"}, now)
	if !slices.Contains(ids(alice), hr.ID) {
		t.Fatalf("alice (hr) does not see the hr announcement: %v", ids(alice))
	}
	arch, _ := repo.Archive(t.Context(), []string{"staff"}, now, "", 1, 20)
	if slices.Contains(ids(arch.Items), hr.ID) || slices.Contains(ids(arch.Items), gone.ID) {
		t.Fatalf("carol's archive holds %v: the hr or the withdrawn announcement leaked", ids(arch.Items))
	}
	found, _ := repo.Archive(t.Context(), []string{"staff", "hr"}, now, "GEHALT", 1, 20)
	if !slices.Equal(ids(found.Items), []string{hr.ID}) {
		t.Fatalf("searching GEHALT finds %v, want the hr announcement", ids(found.Items))
	}
	p1, _ := repo.Archive(t.Context(), []string{"staff"}, now, "", 1, 2)
	p2, _ := repo.Archive(t.Context(), []string{"staff"}, now, "", 2, 2)
	if len(p1.Items) != 2 || !p1.HasMore || len(p2.Items) != 1 || p2.HasMore {
		t.Fatalf("pages of 2: %v (more %v), %v (more %v); want 2+1", ids(p1.Items), p1.HasMore, ids(p2.Items), p2.HasMore)
	}
}
