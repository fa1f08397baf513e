package offline_test

import (
	"errors"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/offline"
	"gitlab.opencode.de/pforte/pforte/internal/records"
	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// TestErasureDeletesToken: "Meine Daten" (Art. 15) tells that a token is
// kept; erasing the person (Art. 17) deletes it.
func TestErasureDeletesToken(t *testing.T) {
	r := newRig(t)
	toks, sub := r.signIn(t, "carol")
	ctx := t.Context()
	a := r.instance(t, time.Hour)
	if err := a.Keep(ctx, r.tenant, sub, toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if p, err := records.CollectPerson(ctx, store.ForTenant(r.st, r.tenant), r.tenant, sub, time.Now()); err != nil || !p.BackgroundAccess {
		t.Fatalf("Meine Daten: background_access %v (err %v), want true", p != nil && p.BackgroundAccess, err)
	}
	if _, err := records.Erase(ctx, store.ForTenant(r.st, r.tenant), r.tenant, sub, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AccessToken(ctx, r.tenant, sub); !errors.Is(err, offline.ErrNotKept) {
		t.Fatalf("after erasure: err = %v, want ErrNotKept", err)
	}
	if s, _ := a.Status(ctx, r.tenant, sub); s.String() != "off" {
		t.Fatalf("after erasure: status %q, want off", s)
	}
}
