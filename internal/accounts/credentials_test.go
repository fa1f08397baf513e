package accounts

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/auth"
	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// Each auth kind yields the credential its server expects, and a missing
// one is an error the dashboard can explain (sign in again / connect).
func TestResolverPerAuthKind(t *testing.T) {
	st, err := store.NewBolt(filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	sealer, err := auth.NewSealer("a-test-secret-of-enough-length-0123456789", "app passwords v1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Tenant{ID: "t1",
		Mail:     &config.Mail{Auth: AuthMaster, MasterUser: "portal", MasterPassword: "mpw", MasterSeparator: "*"},
		Calendar: &config.DAV{Auth: AuthBearer},
		Files:    &config.DAV{Auth: AuthPassword}}
	r := NewResolver(cfg, New(store.ForTenant(st, "t1"), "t1", sealer))
	ctx := context.Background()
	creds := r.For(Person{Subject: "sub-erika", Username: "erika", AccessToken: "tok"})

	if c, err := creds(ctx, "mail"); err != nil || c.Username != "erika*portal" || c.Password != "mpw" {
		t.Errorf("mail (master): %+v, %v; want erika*portal with the master password", c, err)
	}
	if c, err := creds(ctx, "calendar"); err != nil || c.Token != "tok" || c.Username != "erika" {
		t.Errorf("calendar (bearer): %+v, %v; want the access token", c, err)
	}
	if _, err := r.For(Person{Username: "erika"})(ctx, "calendar"); upstream.KindOf(err) != upstream.KindAuth {
		t.Errorf("bearer without a token: %v, want an auth error (sign in again)", err)
	}
	if _, err := creds(ctx, "files"); upstream.KindOf(err) != upstream.KindNotSetUp {
		t.Errorf("password, nothing connected: %v, want not_set_up", err)
	}
	if err := r.Accounts().Connect(ctx, "sub-erika", "files", Account{Username: "e.m", Password: "app-pw", ConnectedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if c, err := creds(ctx, "files"); err != nil || c.Username != "e.m" || c.Password != "app-pw" {
		t.Errorf("files (password) after connecting: %+v, %v", c, err)
	}
	if got := r.AuthOf("chat"); got != "" {
		t.Errorf("AuthOf(unconfigured) = %q, want empty", got)
	}
}
