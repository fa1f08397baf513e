package invalidate

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/store"
)

// A logout on one instance must end the cached session on the others: a
// key forgotten on bus a is dropped by bus b's cache of that kind only.
func TestForgetReachesOtherInstances(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.NewBolt(filepath.Join(t.TempDir(), "p.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dropped := make(chan string, 4)
	var here []string
	a := New(st, log, map[string]func(string){"u": func(k string) { here = append(here, k) }})
	b := New(st, log, map[string]func(string){
		"u": func(k string) { dropped <- "u:" + k },
		"d": func(k string) { dropped <- "d:" + k },
	})
	b.Listen(ctx)
	a.Forget(ctx, "u", "t1/sid")
	if got := <-dropped; got != "u:t1/sid" {
		t.Errorf("other instance dropped %q, want u:t1/sid", got)
	}
	if len(here) != 1 || here[0] != "t1/sid" {
		t.Errorf("this instance dropped %v, want [t1/sid]", here)
	}
}
