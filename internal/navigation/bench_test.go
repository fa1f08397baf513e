package navigation

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/dashboard"
	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// BenchmarkTiles is what the central navigation adds to every start page
// and /api/dashboard: the user's fresh menu from the store (Redis) as
// tiles, next to the apps list it replaces (no store call).
//
//	go test -run '^$' -bench Tiles -benchtime 2s ./internal/navigation
func BenchmarkTiles(b *testing.B) {
	p := testenv.NewPortal(b, "s3cret")
	p.Categories = []testenv.PortalCategory{{ID: "work", Names: map[string]string{"en_US": "Work"}}}
	for _, id := range []string{"mail", "calendar", "files", "chat", "video", "office", "projects", "wiki"} {
		p.Entries = append(p.Entries, testenv.PortalEntry{ID: id, Category: "work", Names: map[string]string{"en_US": id}, Link: "https://" + id + ".example/"})
	}
	st, err := store.Open(context.Background(), testenv.Server(b, "PFORTE_TEST_REDIS_URL"), "", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	id := "bench-nav-" + time.Now().Format("150405.000000")
	tenants := []config.Tenant{{ID: id, Navigation: &config.Navigation{URL: p.NavigationURL(), Secret: "s3cret"},
		Apps: []config.App{{Name: "Mail", URL: "https://mail.example/", Icon: "mail"}}}}
	m, err := NewMenus(tenants, st, &http.Client{Timeout: 5 * time.Second}, 4*time.Second, time.Now, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	claims := Claims("alice", "", "sub-alice")
	ctx := context.Background()
	if got := m.Tiles(ctx, &tenants[0], claims, "en"); len(got) != 8 {
		b.Fatalf("tiles: %v", got)
	}
	b.Run("navigation", func(b *testing.B) {
		for b.Loop() {
			_ = m.Tiles(ctx, &tenants[0], claims, "en")
		}
	})
	b.Run("apps-list", func(b *testing.B) {
		for b.Loop() {
			_ = dashboard.AppsOf(tenants[0].Apps, "en")
		}
	})
	_ = store.ForTenant(st, id).Delete(ctx, MenuKey("sub-alice"))
}
