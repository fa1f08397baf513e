package store_test

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/store/storetest"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// randomPrefix keeps tests on the shared test Redis apart (never FLUSHDB).
func randomPrefix(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "test:" + hex.EncodeToString(b) + ":"
}

func openRedis(t testing.TB) *store.Redis {
	t.Helper()
	url := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	opts, err := store.ParseRedisURL(url)
	if err != nil {
		t.Fatal(err)
	}
	r := store.NewRedis(opts, nil)
	t.Cleanup(func() { _ = r.Close() })
	if err := r.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	return r
}

func openBolt(t testing.TB) *store.Bolt {
	t.Helper()
	b, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestRedis(t *testing.T) {
	r := openRedis(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return store.Prefixed(r, randomPrefix(t))
	})
}

func TestBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openBolt(t) })
}

// The suite also holds through Instrument, which wraps every method.
func TestInstrumentedBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return store.Instrument(openBolt(t), nil)
	})
}

func TestOpenRedis(t *testing.T) {
	url := testenv.Server(t, "PFORTE_TEST_REDIS_URL")
	s, err := store.Open(t.Context(), url, "", nil)
	must(t, err)
	defer s.Close()
	p := store.Prefixed(s, randomPrefix(t))
	must(t, p.Set(t.Context(), "k", []byte("v"), time.Minute))
	if v, err := p.Get(t.Context(), "k"); err != nil || string(v) != "v" {
		t.Fatalf("Get = %q, %v", v, err)
	}
}

// A Redis that is down at start does not stop Pforte from starting; requests
// fail with ErrUnavailable until it comes up.
func TestOpenRedisDown(t *testing.T) {
	url := "redis://127.0.0.1:" + strconv.Itoa(testenv.FreePort(t)) + "/0"
	s, err := store.Open(t.Context(), url, "", nil)
	must(t, err)
	defer s.Close()
	if err := s.Ping(t.Context()); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Ping = %v, want ErrUnavailable", err)
	}
}
