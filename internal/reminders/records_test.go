package reminders

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// A person's reminder setting is in their copy ("Meine Daten"), in the
// backup, and gone after their erasure.
func TestReminderSettingsArePersonalRecords(t *testing.T) {
	ctx := context.Background()
	root, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	ts := store.ForTenant(root, "city")
	now := time.Now()
	if err := Save(ctx, ts, "sub-a", Prefs{Enabled: true, Lead: 15, Scope: ScopeAll, Username: "a"}, now); err != nil {
		t.Fatal(err)
	}
	_ = NewPrefs(ts).SetStopped(ctx, "sub-a", ReasonNoCredential)
	p, err := records.CollectPerson(ctx, ts, "city", "sub-a", now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(p.Reminders), `"lead":15`) {
		t.Fatalf("the copy of the person's data lacks the reminder setting: %s", p.Reminders)
	}
	var backup bytes.Buffer
	sum, err := records.Export(ctx, root, []string{"city"}, &backup)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(backup.String(), "rem:prefs") || len(sum.Unknown) != 0 {
		t.Fatalf("backup misses the reminder settings or reports unknown keys %v", sum.Unknown)
	}
	if _, err := records.Erase(ctx, ts, "city", "sub-a", "test", now); err != nil {
		t.Fatal(err)
	}
	got, err := NewPrefs(ts).Get(ctx, "sub-a")
	if err != nil || got.Enabled || got.Stopped != "" {
		t.Fatalf("after erasure the setting is %+v (%v), want off and nothing kept", got, err)
	}
}
