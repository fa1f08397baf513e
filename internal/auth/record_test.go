package auth

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gitlab.opencode.de/pforte/pforte/internal/store"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

// fill sets every field of v (a struct) to a value that is not zero, so
// a round trip that drops a field shows.
func fill(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), path+v.Type().Field(i).Name
		switch {
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2026, 12, 3, 7, 30, i, 123456789, time.UTC)))
		case f.Kind() == reflect.String:
			f.SetString(name + " ä\n\x00")
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf([]string{name + "-1", "", name + "-3"}))
		case f.Kind() == reflect.Struct:
			fill(t, f, name+".")
		case f.Type() == reflect.TypeOf(map[string]string{}):
			f.Set(reflect.ValueOf(map[string]string{name + "-a": "ä\x00", name + "-b": "", "": "x"}))
		default:
			t.Fatalf("%s (%s): teach the session record codec (usercodec.go) this field", name, f.Type())
		}
	}
}

// A field added to User or Tokens must survive the session record, or
// users served from records would silently lose it.
func TestUserCodecKeepsEveryField(t *testing.T) {
	var u User
	fill(t, reflect.ValueOf(&u).Elem(), "")
	got, err := decodeUser(encodeUser(&u))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &u) {
		t.Fatalf("round trip changed the user:\n got %+v\nwant %+v", got, &u)
	}
	zero := &User{}
	if got, err := decodeUser(encodeUser(zero)); err != nil || !reflect.DeepEqual(got, zero) {
		t.Fatalf("round trip of the zero user = %+v, %v", got, err)
	}
	full := encodeUser(&u)
	for n := 0; n < len(full); n++ {
		if _, err := decodeUser(full[:n]); err == nil {
			t.Fatalf("a record cut to %d of %d bytes decoded", n, len(full))
		}
	}
}

func recordStores(t *testing.T) map[string]store.Store {
	b, err := store.NewBolt(filepath.Join(t.TempDir(), "pforte.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	opts, err := store.ParseRedisURL(testenv.Server(t, "PFORTE_TEST_REDIS_URL"))
	if err != nil {
		t.Fatal(err)
	}
	r := store.NewRedis(opts, nil)
	t.Cleanup(func() { _ = r.Close() })
	return map[string]store.Store{"bolt": b, "redis": store.Prefixed(r, "test:records:"+NewSessionID()+":")}
}

// A session record gives the user and their own snapshot in one read, and
// nothing once the session is gone, for another tenant, or for another
// user's snapshot.
func TestRecordsLoad(t *testing.T) {
	sealer, err := NewSealer("records-test-secret-0123456789-abcdefghij", "session v1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for name, root := range recordStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a, b := store.ForTenant(root, "a"), store.ForTenant(root, "b")
			recs := func(st store.Store) Records {
				return Records{Store: st, SessionKey: func(id string) string { return "sess:" + id },
					Link: func(sub string) string { return "dash:" + sub }, TTL: time.Hour}
			}
			alice := &User{Tenant: "a", Subject: "alice", Name: "Anna Schmidt", Groups: []string{"staff"},
				Tokens: Tokens{Access: "at", Expiry: now.Add(time.Hour)}}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(a.Set(ctx, "sess:1", []byte("fiber session"), time.Hour))
			must(a.Set(ctx, "dash:alice", []byte("alice's snapshot"), time.Hour))
			must(a.Set(ctx, "dash:bob", []byte("bob's snapshot"), time.Hour))
			must(recs(a).Save(ctx, sealer, "1", alice))

			u, snap, err := recs(a).Load(ctx, sealer, "a", "1", now)
			must(err)
			if u == nil || u.Subject != "alice" || u.Name != "Anna Schmidt" || string(snap) != "alice's snapshot" {
				t.Fatalf("Load = %+v, %q; want alice with her snapshot", u, snap)
			}
			if u, _, _ := recs(b).Load(ctx, sealer, "b", "1", now); u != nil {
				t.Fatal("tenant b read tenant a's session record")
			}
			if u, _, _ := recs(a).Load(ctx, sealer, "a", "1", now.Add(2*time.Hour)); u != nil {
				t.Fatal("a user due for token refresh came from the record (Fiber's session refreshes)")
			}
			// A record moved to another tenant's store does not open there.
			raw, err := a.Get(ctx, "usr:1")
			must(err)
			must(b.Set(ctx, "sess:1", []byte("fiber session"), time.Hour))
			must(b.Set(ctx, "usr:1", raw, time.Hour))
			if u, _, _ := recs(b).Load(ctx, sealer, "b", "1", now); u != nil {
				t.Fatal("a record copied to tenant b opened there")
			}
			// A link that is not the user's own snapshot is not followed.
			sealed := raw[len("dash:alice\n"):]
			must(a.Set(ctx, "usr:1", append([]byte("dash:bob\n"), sealed...), time.Hour))
			if u, snap, err := recs(a).Load(ctx, sealer, "a", "1", now); err != nil || u == nil || snap != nil {
				t.Fatalf("Load with a link to bob's snapshot = %v, %q, %v; want alice without a snapshot", u, snap, err)
			}
			must(recs(a).Save(ctx, sealer, "1", alice))
			// The session gone (any logout): the lingering record reads as nothing.
			must(a.Delete(ctx, "sess:1"))
			if u, _, err := recs(a).Load(ctx, sealer, "a", "1", now); u != nil || err != nil {
				t.Fatalf("Load after the session ended = %v, %v; want nothing", u, err)
			}
			// A back-channel logout deletes the record with the session.
			must(a.Set(ctx, "sess:1", []byte("fiber session"), time.Hour))
			x := Index{Store: a, SessionKey: func(id string) string { return "sess:" + id }, TTL: time.Hour}
			must(x.Add(ctx, "1", alice))
			if _, err := x.EndSessions(ctx, "alice", "", now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Get(ctx, "usr:1"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("record after back-channel logout: %v, want gone", err)
			}
		})
	}
}
